import type { EmulatorState } from "../../src/check/emulator-state.js";
import type { BookEntry } from "../../src/run/book-entry.js";
import type { CallOutcome, ToolCaller } from "../../src/run/call-outcome.js";

/** Seeded PRNG (mulberry32): the same seed, the same faults. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One account of the fake vendors' book. */
export interface FakeAccount extends BookEntry {
  name: string;
  seats: number | null;
  active: number | null;
  recentThreads: number;
  enriched: boolean;
}

/** A book of `n` accounts with a spread of usage, some shared contacts and missing data. */
export function fakeBook(n: number, seed = 7): FakeAccount[] {
  const r = rng(seed);
  return Array.from({ length: n }, (_, i) => {
    const id = String(1000 + i);
    const domain = i % 50 === 49 ? `shared${i - 1}.example` : `acct${i}.example`;
    const seats = r() < 0.1 ? null : 10 + Math.floor(r() * 90);
    return {
      accountId: id,
      domain,
      name: `Account ${i}`,
      contactEmail: i % 17 === 0 ? null : `buyer@${domain}`,
      seats,
      active: seats === null ? null : Math.floor(seats * r() * 1.1),
      recentThreads: r() < 0.3 ? 1 : 0,
      enriched: r() > 0.15,
    };
  });
}

/** Faults the fake vendors inject, as rates per call (0 = never). */
export interface FakeFaults {
  rateLimit?: number;
  /** Write committed, answer lost (the server marks the key unknown). */
  commitThenDrop?: number;
  /** Enrichment calls with an index in [from, to) meet an outage. */
  enrichmentOutage?: [number, number];
  /** Enrichment calls with these indexes are charged by the vendor, then lose their answer (a server killed). */
  lookupLost?: number[];
  /** A server process killed mid-call: the connection is lost after a write commits. */
  connectionLost?: number;
  /** Break idempotency (the check must then fail): writes never replay. */
  forgetKeys?: boolean;
  /**
   * Each write's answer takes this long after the vendor acted (ms, real time): a kill of its
   * server meanwhile ({@link FakeWorld.kill}) loses the answer and leaves the key unknown.
   */
  writeLatencyMs?: number;
  /** The mailbox does not list the run's own drafts and sends among a contact's threads (as it lists them today). */
  hideOwnMail?: boolean;
}

type KeyRecord = { state: "completed" | "unknown"; fingerprint: string; result: Record<string, unknown> };

/**
 * Stands in for the four servers over their emulators, with the servers' documented write
 * semantics (key from target and occurrence, replay, reuse refused, unknown outcome reconciled)
 * and the emulators' faults. Only for exercising the orchestrator; the real servers are driven
 * by the book run's integration test.
 */
export class FakeWorld implements ToolCaller {
  readonly accounts: Map<string, FakeAccount>;
  readonly state: EmulatorState = { notes: [], drafts: [], sends: [], enrichmentCredits: {}, faults: {} };
  /** Draft id → its recipient and subject (the mailbox's drafts, sent or not). */
  readonly #draftsById = new Map<string, { to: string; subject: string }>();
  /** Calls of each server waiting for their answer, with how to cut them (a kill). */
  readonly #inFlight = new Map<string, Set<() => void>>();
  readonly #keys = new Map<string, KeyRecord>();
  readonly #cache = new Map<string, boolean>();
  readonly #random: () => number;
  #enrichmentCalls = 0;
  faults: FakeFaults;

  constructor(book: FakeAccount[], faults: FakeFaults = {}, seed = 1) {
    this.accounts = new Map(book.map((a) => [a.accountId, a]));
    this.faults = faults;
    this.#random = rng(seed);
  }

  #fault(kind: string): void {
    this.state.faults[kind] = (this.state.faults[kind] ?? 0) + 1;
  }

  async call(server: string, tool: string, args: Record<string, unknown>): Promise<CallOutcome> {
    await Promise.resolve();
    if ((this.faults.rateLimit ?? 0) > this.#random()) {
      this.#fault("rate_limit");
      return {
        ok: false,
        error: { code: "RATE_LIMITED", message: "slow down", retryAfterMs: 1, sideEffect: "none" },
      };
    }
    switch (`${server}/${tool}`) {
      case "crm/get_account": {
        const a = this.accounts.get(String(args.account_id));
        if (!a) return fail("NOT_FOUND");
        return ok({
          account: { id: a.accountId, name: a.name, domain: a.domain, lifecycle_stage: "customer" },
        });
      }
      case "enrichment/get_account_signals": {
        const domain = String(args.domain);
        const n = this.#enrichmentCalls++;
        const [from, to] = this.faults.enrichmentOutage ?? [0, 0];
        if (n >= from && n < to) {
          this.#fault("outage");
          return fail("UPSTREAM_UNAVAILABLE");
        }
        if (this.faults.lookupLost?.includes(n)) {
          this.#fault("server_killed");
          this.state.enrichmentCredits[domain] = (this.state.enrichmentCredits[domain] ?? 0) + 1;
          return fail("OUTCOME_UNKNOWN");
        }
        let found = this.#cache.get(domain);
        if (found === undefined) {
          found = [...this.accounts.values()].some((a) => a.domain === domain && a.enriched);
          this.#cache.set(domain, found);
          this.state.enrichmentCredits[domain] = (this.state.enrichmentCredits[domain] ?? 0) + 1;
        }
        return found ? ok({ domain, name: domain }) : fail("NOT_FOUND");
      }
      case "warehouse/get_account_usage": {
        const a = [...this.accounts.values()].find((x) => x.domain === args.domain);
        if (!a || a.seats === null) return fail("NOT_FOUND");
        return ok({ seats_purchased: a.seats, active_users: a.active });
      }
      case "email/list_recent_threads": {
        const contact = String(args.contact_email).toLowerCase();
        const a = [...this.accounts.values()].find((x) => x.contactEmail === args.contact_email);
        const seeded = Array.from({ length: a?.recentThreads ?? 0 }, () => ({ subject: "hi" }));
        // The mailbox lists the run's own drafts (and the sent ones) among the contact's threads.
        const own = this.faults.hideOwnMail
          ? []
          : this.state.drafts
              .filter((d) => d.to.toLowerCase() === contact)
              .map((d) => ({ subject: d.subject }));
        return ok({ threads: [...seeded, ...own] });
      }
      case "crm/log_activity_note":
        return this.#write(
          server,
          `note|${args.account_id}|${args.occurrence}`,
          args,
          () => {
            this.state.notes.push({
              companyIds: [String(args.account_id)],
              contactIds: [],
              body: String(args.body),
            });
            return { note_id: String(this.state.notes.length), account_id: args.account_id };
          },
          () =>
            this.state.notes.find(
              (x) => x.companyIds.includes(String(args.account_id)) && x.body === args.body,
            ),
        );
      case "email/create_outreach_draft":
        return this.#write(
          server,
          `draft|${String(args.to).toLowerCase()}|${args.occurrence}`,
          args,
          () => {
            this.state.drafts.push({ to: String(args.to), subject: String(args.subject) });
            const draftId = `d${this.state.drafts.length}`;
            this.#draftsById.set(draftId, { to: String(args.to), subject: String(args.subject) });
            return { draft_id: draftId };
          },
          () => this.state.drafts.find((x) => x.to === args.to && x.subject === args.subject),
        );
      case "email/send_draft": {
        const draftId = String(args.draft_id);
        const draft = this.#draftsById.get(draftId);
        if (draft === undefined) return fail("NOT_FOUND");
        return this.#write(
          server,
          `send|${draftId}`,
          args,
          () => {
            this.state.sends.push({ to: draft.to, draftId });
            return { message_id: `m${this.state.sends.length}`, to: [draft.to] };
          },
          () => this.state.sends.find((m) => m.draftId === draftId),
        );
      }
      default:
        return fail("INVALID_INPUT");
    }
  }

  /**
   * SIGKILLs a server, as far as its callers can tell: every call of it waiting for its answer
   * loses it (`OUTCOME_UNKNOWN`), its key left unknown. Returns how many calls it cut.
   */
  kill(server: string): number {
    const cuts = [...(this.#inFlight.get(server) ?? [])];
    for (const cut of cuts) cut();
    return cuts.length;
  }

  async #write(
    server: string,
    key: string,
    args: Record<string, unknown>,
    commit: () => Record<string, unknown>,
    find: () => unknown,
  ): Promise<CallOutcome> {
    const fingerprint = JSON.stringify(args);
    const record = this.faults.forgetKeys ? undefined : this.#keys.get(key);
    if (record?.state === "completed") {
      if (record.fingerprint !== fingerprint) return fail("IDEMPOTENCY_KEY_REUSED", { reviewId: "r1" });
      return { ok: true, structured: { ...record.result, replayed: true }, replayed: true };
    }
    if (record?.state === "unknown" && find() !== undefined) {
      record.state = "completed";
      return { ok: true, structured: record.result, replayed: false };
    }
    const result = commit();
    if ((this.faults.commitThenDrop ?? 0) > this.#random()) {
      this.#fault("commit_then_drop");
      this.#keys.set(key, { state: "unknown", fingerprint, result });
      return fail("UPSTREAM_TIMEOUT", { sideEffect: "unknown" });
    }
    if ((this.faults.connectionLost ?? 0) > this.#random()) {
      this.#fault("server_killed");
      this.#keys.set(key, { state: "unknown", fingerprint, result });
      return fail("OUTCOME_UNKNOWN");
    }
    const latency = this.faults.writeLatencyMs ?? 0;
    if (latency > 0) {
      // The vendor acted; the answer is on its way back, and a kill now loses it.
      this.#keys.set(key, { state: "unknown", fingerprint, result });
      const waiting = this.#inFlight.get(server) ?? new Set<() => void>();
      this.#inFlight.set(server, waiting);
      const killed = await new Promise<boolean>((resolve) => {
        const cut = () => {
          clearTimeout(timer);
          waiting.delete(cut);
          resolve(true);
        };
        const timer = setTimeout(() => {
          waiting.delete(cut);
          resolve(false);
        }, latency);
        waiting.add(cut);
      });
      if (killed) {
        this.#fault("server_killed");
        return fail("OUTCOME_UNKNOWN", { sideEffect: "unknown" });
      }
    }
    this.#keys.set(key, { state: "completed", fingerprint, result });
    return { ok: true, structured: result, replayed: false };
  }
}

const ok = (structured: Record<string, unknown>): CallOutcome => ({ ok: true, structured, replayed: false });
const fail = (code: string, extra: Record<string, unknown> = {}): CallOutcome => ({
  ok: false,
  error: { code, message: code, sideEffect: "none", ...extra },
});
