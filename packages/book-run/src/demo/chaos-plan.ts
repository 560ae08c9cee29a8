import { SERVER_NAMES, type ServerName } from "../policy/index.js";

/** A SIGKILL of one server when the run has finished `afterAccounts` accounts. */
export interface PlannedKill {
  afterAccounts: number;
  server: ServerName;
}

/** Seeded PRNG (mulberry32) from a text seed: the same seed, the same chaos. */
export function seededRandom(seed: string): () => number {
  let a = 0;
  for (const ch of seed) a = (Math.imul(a, 31) + ch.charCodeAt(0)) >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The servers the first kills go to, in order: the two whose writes the check counts at a
 * vendor (notes; drafts and sends), so every chaos run kills each with a write in flight.
 */
export const FIRST_KILLED: readonly ServerName[] = ["crm", "email"];

/**
 * When to kill which server: `kills` times, spread over the middle of the run (between 15 %
 * and 85 % of the accounts), in order; the first ones on {@link FIRST_KILLED}'s servers in a
 * random order, the rest on servers drawn at random.
 */
export function planKills(accounts: number, kills: number, random: () => number): PlannedKill[] {
  const first = random() < 0.5 ? [...FIRST_KILLED] : [...FIRST_KILLED].reverse();
  const plan: PlannedKill[] = [];
  for (let i = 0; i < kills; i++) {
    const from = 0.15 + (0.7 * i) / kills;
    const at = from + (0.7 / kills) * random();
    plan.push({
      afterAccounts: Math.max(1, Math.floor(accounts * at)),
      server: first[i] ?? (SERVER_NAMES[Math.floor(random() * SERVER_NAMES.length)] as ServerName),
    });
  }
  return plan;
}

/** When the enrichment outage starts and how long it lasts, as shares of the accounts. */
export const ENRICHMENT_OUTAGE = { startsAt: 0.3, forMs: 4_000 };
