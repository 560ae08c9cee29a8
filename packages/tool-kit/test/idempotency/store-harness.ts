import { randomUUID } from "node:crypto";
import { fingerprintArgs } from "../../src/idempotency/canonical.js";
import type { ClaimRequest, IdempotencyStore } from "../../src/idempotency/store.js";

/** One fresh scope of a store under test, with the means to move its time. */
export interface ScopeUnderTest {
  store: IdempotencyStore;
  /** Another store instance (its own connection) bound to the same scope. */
  peer(): Promise<IdempotencyStore>;
  /** Moves the store's clock forward by at least `ms` (SQLite: exactly, a virtual clock; Redis: by waiting). */
  advance(ms: number): Promise<void>;
}

/** How the shared contract suite opens the implementation it tests. */
export interface StoreHarness {
  /** `sqlite` or `redis`, for test names. */
  readonly name: string;
  /**
   * True when the store's clock is purely virtual (it moves only on `advance`, never with wall
   * time), so a lease not advanced past is surely live however slow the machine is.
   */
  readonly exactClock: boolean;
  /** Opens a store on a scope no other test uses. */
  openScope(): Promise<ScopeUnderTest>;
  /** Closes everything opened. */
  close(): Promise<void>;
}

/** A claim request with sensible defaults: a fresh owner, a 30 s lease, a 1 h retention, no caps. */
export function claimOf(
  key: string,
  args: Record<string, unknown>,
  over: Partial<ClaimRequest> = {},
): ClaimRequest {
  const { fingerprint, fieldHashes } = fingerprintArgs(args);
  return {
    key,
    fingerprint,
    fieldHashes,
    owner: randomUUID(),
    leaseMs: 30_000,
    ttlMs: 3_600_000,
    caps: [],
    ...over,
  };
}

/** A key in the `<tool>:<hash>` shape the pipeline derives. */
export function keyOf(label: string): string {
  return `log_activity_note:${label}`;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
