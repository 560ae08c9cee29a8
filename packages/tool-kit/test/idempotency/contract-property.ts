import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type {
  ClaimRequest,
  ClaimResult,
  IdempotencyStore,
  RecordState,
  StoredOutcome,
} from "../../src/idempotency/store.js";
import { claimOf, keyOf, type ScopeUnderTest, type StoreHarness } from "./store-harness.js";

const ACTORS = 3;
const KEYS = 3;
const CAP_LIMIT = 2;
const SHORT_LEASE_MS = 40;
const LONG_LEASE_MS = 60_000;
const ADVANCE_MS = 60;
const SHORT_TTL_MS = 40;
const LONG_TTL_MS = 3_600_000;

type Command =
  | { op: "claim"; actor: number; key: number; variant: 0 | 1; short: boolean }
  | { op: "complete"; actor: number; shortTtl: boolean }
  | { op: "release" | "markUnknown"; actor: number }
  | { op: "renew"; actor: number; short: boolean }
  | { op: "reclaim"; actor: number }
  | { op: "advance" };

const actor = fc.integer({ min: 0, max: ACTORS - 1 });
const command: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      op: fc.constant("claim" as const),
      actor,
      key: fc.integer({ min: 0, max: KEYS - 1 }),
      variant: fc.constantFrom(0 as const, 0 as const, 0 as const, 1 as const),
      short: fc.boolean(),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ op: fc.constant("complete" as const), actor, shortTtl: fc.boolean() }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ op: fc.constantFrom("release" as const, "markUnknown" as const), actor }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("renew" as const), actor, short: fc.boolean() }) },
  // The actor's last claim sent again with the same owner token (a retry after a lost reply).
  { weight: 1, arbitrary: fc.record({ op: fc.constant("reclaim" as const), actor }) },
  { weight: 2, arbitrary: fc.constant({ op: "advance" as const }) },
);

/** What the model knows of one key. Times are virtual: they move only on `advance`. */
interface ModelRecord {
  state: RecordState;
  owner: string;
  variant: 0 | 1;
  leaseExpiresAt: number;
  reservedCap: boolean;
  outcome: StoredOutcome | null;
  expiresAt: number;
  /** After a takeover, the owner it was taken from (what a same-owner claim answers again). */
  takenFrom: string | null;
}

/**
 * Random interleavings of claim/complete/release/markUnknown/renew and lease expiry, checked
 * step by step against a simple model. The model is exact except where real time may run
 * ahead of virtual time (Redis): there a lease the model thinks live may already have lapsed.
 * Invariants: at most one execution (an `acquired`, or an `unknown` the caller acts on) per
 * key at a time: every earlier executor's transitions are refused; and none after a
 * completion within retention.
 */
export function propertyContract(harness: () => StoreHarness): void {
  describe("random interleavings", () => {
    it("agree with the model: one execution at a time per key, none after completion", async () => {
      const h = harness();
      await fc.assert(
        fc.asyncProperty(
          fc.array(command, { minLength: 5, maxLength: 40, size: "medium" }),
          async (commands) => {
            const scope = await h.openScope();
            try {
              await runAgainstModel(scope, commands, h.exactClock);
            } finally {
              await scope.store.close();
            }
          },
        ),
        { numRuns: h.exactClock ? 150 : 20 },
      );
    }, 60_000);
  });
}

/** A claim an actor sent: the request itself, to send again with the same owner. */
interface HeldClaim {
  key: number;
  owner: string;
  variant: 0 | 1;
  request: ClaimRequest;
}

async function runAgainstModel(scope: ScopeUnderTest, commands: Command[], exact: boolean): Promise<void> {
  const store: IdempotencyStore = scope.store;
  const caps = [{ name: "writes", runId: "prop-run", limit: CAP_LIMIT }];
  const records = new Map<number, ModelRecord>();
  const held = new Map<number, { key: number; owner: string }>();
  /** Each actor's last claim request, which `reclaim` sends again unchanged. */
  const sent = new Map<number, HeldClaim>();
  const completions = new Map<number, number>();
  let capUsed = 0;
  let now = 0;
  let serial = 0;

  const live = (key: number): ModelRecord | undefined => {
    const rec = records.get(key);
    if (rec !== undefined && rec.expiresAt <= now) {
      records.delete(key);
      completions.delete(key);
      return undefined;
    }
    return rec;
  };

  for (const cmd of commands) {
    if (cmd.op === "advance") {
      now += ADVANCE_MS;
      await scope.advance(ADVANCE_MS);
      continue;
    }
    if (cmd.op === "claim" || cmd.op === "reclaim") {
      let claim: HeldClaim;
      if (cmd.op === "claim") {
        const leaseMs = cmd.short ? SHORT_LEASE_MS : LONG_LEASE_MS;
        const request = claimOf(
          keyOf(`p${cmd.key}`),
          { body: `v${cmd.variant}`, n: cmd.key },
          { leaseMs, caps },
        );
        claim = { key: cmd.key, owner: request.owner, variant: cmd.variant, request };
      } else {
        const last = sent.get(cmd.actor);
        if (last === undefined) continue;
        claim = last;
      }
      sent.set(cmd.actor, claim);
      const { request, variant } = claim;
      const leaseMs = request.leaseMs;
      const result: ClaimResult = await store.claim(request);
      const rec = live(claim.key);
      const take = () => {
        held.set(cmd.actor, { key: claim.key, owner: request.owner });
      };
      if (rec === undefined) {
        if (capUsed + 1 > CAP_LIMIT) {
          expect(result).toEqual({ status: "cap_exceeded", cap: "writes", limit: CAP_LIMIT, used: capUsed });
        } else {
          expect(result).toEqual({ status: "acquired" });
          capUsed++;
          records.set(claim.key, {
            state: "in_progress",
            owner: request.owner,
            variant,
            leaseExpiresAt: now + leaseMs,
            reservedCap: true,
            outcome: null,
            expiresAt: now + LONG_TTL_MS,
            takenFrom: null,
          });
          take();
        }
      } else if (rec.variant !== variant) {
        expect(result).toEqual({ status: "key_reused", differingFields: ["body"] });
      } else if (rec.state === "completed") {
        expect(result).toMatchObject({ status: "replay", outcome: rec.outcome });
      } else if (rec.state === "in_progress" && rec.owner === request.owner) {
        // The same owner again: the first answer again, lease refreshed, no cap reserved.
        if (rec.takenFrom === null) expect(result).toEqual({ status: "acquired" });
        else expect(result).toMatchObject({ status: "unknown", previousOwner: rec.takenFrom });
        rec.leaseExpiresAt = now + leaseMs;
        take();
      } else {
        const mustTakeOver = rec.state === "unknown" || rec.leaseExpiresAt <= now;
        const allowed = mustTakeOver ? ["unknown"] : exact ? ["in_progress"] : ["in_progress", "unknown"];
        expect(allowed).toContain(result.status);
        if (result.status === "unknown") {
          // Orphan recovery: the caller now executes; the previous owner is fenced out.
          expect(result.previousOwner).toBe(rec.owner);
          Object.assign(rec, {
            state: "in_progress",
            owner: request.owner,
            leaseExpiresAt: now + leaseMs,
            takenFrom: rec.owner,
          });
          take();
        }
      }
    } else {
      const mine = held.get(cmd.actor);
      if (mine === undefined) continue;
      const rec = live(mine.key);
      const owns = rec !== undefined && rec.owner === mine.owner && rec.state !== "completed";
      const key = keyOf(`p${mine.key}`);
      if (cmd.op === "complete") {
        const outcome: StoredOutcome = { kind: "ok", result: { serial: ++serial } };
        // A short retention only where the clock is exact; Redis would expire it on its own schedule.
        const ttlMs = cmd.shortTtl && exact ? SHORT_TTL_MS : LONG_TTL_MS;
        expect(await store.complete(key, mine.owner, outcome, ttlMs)).toBe(owns);
        if (owns) {
          completions.set(mine.key, (completions.get(mine.key) ?? 0) + 1);
          expect(completions.get(mine.key)).toBe(1);
          Object.assign(rec, { state: "completed", outcome, expiresAt: now + ttlMs });
        }
      } else if (cmd.op === "release") {
        expect(await store.release(key, mine.owner)).toBe(owns);
        if (owns) {
          records.delete(mine.key);
          if (rec.reservedCap) capUsed--;
        }
      } else if (cmd.op === "markUnknown") {
        expect(await store.markUnknown(key, mine.owner)).toBe(owns);
        if (owns) rec.state = "unknown";
      } else if (cmd.op === "renew") {
        const renewable = owns && rec.state === "in_progress";
        const leaseMs = cmd.short ? SHORT_LEASE_MS : LONG_LEASE_MS;
        expect(await store.renew(key, mine.owner, leaseMs)).toBe(renewable);
        if (renewable) rec.leaseExpiresAt = now + leaseMs;
      }
    }
    expect(await store.capUsage("writes", "prop-run")).toBe(capUsed);
    for (let k = 0; k < KEYS; k++) {
      const rec = live(k);
      const stored = await store.get(keyOf(`p${k}`));
      if (rec === undefined) expect(stored).toBeNull();
      else expect(stored).toMatchObject({ state: rec.state, owner: rec.owner });
    }
  }
}
