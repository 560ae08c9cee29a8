import type { IdempotencyStore } from "../idempotency/store.js";
import type { Logger } from "../logging/index.js";

/** A lease kept alive in the background; `release()` stops renewing it. */
export interface HeldLease {
  /** Aborted when the store refused a renewal: another owner has the key, so stop before acting. */
  readonly lost: AbortSignal;
  release(): void;
}

/**
 * Renews `owner`'s lease on `key` every quarter of the lease until released or until
 * `maxHoldMs` passes (a handler that never settles must not hold a key forever: once the
 * lease lapses, the next caller reconciles). A refused renewal aborts `lost`.
 */
export function holdLease(
  store: IdempotencyStore,
  key: string,
  owner: string,
  leaseMs: number,
  maxHoldMs: number,
  log: Logger,
): HeldLease {
  const lost = new AbortController();
  const until = Date.now() + maxHoldMs;
  const timer = setInterval(
    () => {
      if (Date.now() > until) {
        clearInterval(timer);
        log.error(
          { maxHoldMs },
          "write still unsettled; no longer renewing its lease (the next call reconciles)",
        );
        return;
      }
      store.renew(key, owner, leaseMs).then(
        (ok) => {
          if (ok || lost.signal.aborted) return;
          log.warn("lease renewal refused: another owner holds the key; aborting this attempt");
          lost.abort(new Error("lease lost"));
        },
        (error: unknown) => log.warn({ err: error }, "lease renewal failed"),
      );
    },
    // Every quarter of the lease: a renewal may be late by three quarters of it (a long GC
    // pause, CPU starvation) before the key lapses under a live handler.
    Math.max(50, Math.floor(leaseMs / 4)),
  );
  timer.unref();
  return { lost: lost.signal, release: () => clearInterval(timer) };
}
