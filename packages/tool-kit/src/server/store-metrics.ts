import { Counter, Gauge, Histogram, type Registry } from "prom-client";
import type { ClaimRequest, ClaimResult, IdempotencyStore } from "../idempotency/store.js";

/** Store calls are local or one round trip: sub-millisecond up to the store's timeout. */
const STORE_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
/** The review gauge counts at most this many open records (one page of the store). */
export const REVIEW_COUNT_MAX = 1000;

/** The store-side series and what feeds them. */
export interface StoreMetrics {
  /** The same store, each call timed and its failures counted, caps and reviews followed. */
  instrument(store: IdempotencyStore): IdempotencyStore;
  /** Sets the limit of each cap for this run (`runtime.caps`). */
  setCapLimits(caps: Record<string, number>): void;
}

/**
 * `gtm_store_operation_duration_seconds{operation}`, `gtm_store_errors_total{operation}`,
 * `gtm_store_up` (a ping at scrape), `gtm_cap_used{cap}` and `gtm_cap_limit{cap}` for the
 * current run (updated after every claim), and `gtm_review_queue_open` (open review records,
 * counted at scrape up to {@link REVIEW_COUNT_MAX}, and raised at once by `addReview`).
 */
export function registerStoreMetrics(registry: Registry): StoreMetrics {
  let attached: IdempotencyStore | undefined;
  const duration = new Histogram({
    name: "gtm_store_operation_duration_seconds",
    help: "Idempotency store calls by operation (claim, complete, capUsage, …)",
    labelNames: ["operation"] as const,
    buckets: STORE_BUCKETS,
    registers: [registry],
  });
  const errors = new Counter({
    name: "gtm_store_errors_total",
    help: "Idempotency store calls that failed (STORE_UNAVAILABLE and the like), by operation",
    labelNames: ["operation"] as const,
    registers: [registry],
  });
  new Gauge({
    name: "gtm_store_up",
    help: "1 when the idempotency store answered a ping at this scrape, else 0",
    registers: [registry],
    async collect() {
      if (attached) this.set((await attached.ping().catch(() => false)) ? 1 : 0);
    },
  });
  /** Cap read-backs still running: a scrape waits for them, so it shows every claim made before it. */
  const pending = new Set<Promise<unknown>>();
  const capUsed = new Gauge({
    name: "gtm_cap_used",
    help: "Units of each cap used by the current run",
    labelNames: ["cap"] as const,
    registers: [registry],
    async collect() {
      await Promise.all([...pending]);
    },
  });
  const capLimit = new Gauge({
    name: "gtm_cap_limit",
    help: "Limit of each cap for the current run",
    labelNames: ["cap"] as const,
    registers: [registry],
  });
  const reviews = new Gauge({
    name: "gtm_review_queue_open",
    help: `Open review records (terminal write failures waiting for a person), counted up to ${REVIEW_COUNT_MAX}`,
    registers: [registry],
    async collect() {
      if (!attached) return;
      // A store that does not answer keeps the last count; gtm_store_up says why.
      const open = await attached
        .listReviews({ status: "open", limit: REVIEW_COUNT_MAX })
        .catch(() => undefined);
      if (open) this.set(open.length);
    },
  });

  /** Times a store call; a synchronous method (none today) is passed through unobserved. */
  function observed(operation: string, call: () => unknown, after?: (result: unknown) => void): unknown {
    const end = duration.startTimer({ operation });
    const failed = (error: unknown) => {
      end();
      errors.inc({ operation });
      throw error;
    };
    let out: unknown;
    try {
      out = call();
    } catch (error) {
      return failed(error);
    }
    if (!(out instanceof Promise)) return out;
    return out.then((result: unknown) => {
      end();
      after?.(result);
      return result;
    }, failed);
  }

  function afterClaim(store: IdempotencyStore, request: ClaimRequest, result: ClaimResult) {
    if (result.status === "cap_exceeded") {
      capUsed.set({ cap: result.cap }, result.used);
      capLimit.set({ cap: result.cap }, result.limit);
      return;
    }
    if (result.status !== "acquired") return;
    for (const cap of request.caps) {
      capLimit.set({ cap: cap.name }, cap.limit);
      // Read back, not counted here: other replicas share the counter.
      const readBack = store
        .capUsage(cap.name, cap.runId)
        .then((used) => capUsed.set({ cap: cap.name }, used))
        .catch(() => undefined)
        .finally(() => pending.delete(readBack));
      pending.add(readBack);
    }
  }

  return {
    instrument(store) {
      // A proxy, not a copy: methods the store gains later are timed too, and `kind` and the
      // like read through. ping (the health probe) and close are left alone.
      const cache = new Map<PropertyKey, unknown>();
      const wrapped: IdempotencyStore = new Proxy(store, {
        get(target, property, receiver) {
          const value = Reflect.get(target, property, receiver);
          if (typeof value !== "function" || typeof property !== "string") return value;
          if (property === "ping" || property === "close") return value.bind(target);
          if (!cache.has(property)) {
            cache.set(property, (...args: unknown[]) =>
              observed(
                property,
                () => value.apply(target, args),
                property === "claim"
                  ? (result) => afterClaim(wrapped, args[0] as ClaimRequest, result as ClaimResult)
                  : property === "addReview"
                    ? () => reviews.inc()
                    : undefined,
              ),
            );
          }
          return cache.get(property);
        },
      });
      attached = store;
      return wrapped;
    },
    setCapLimits(caps) {
      for (const [cap, limit] of Object.entries(caps)) {
        capLimit.set({ cap }, limit);
        capUsed.inc({ cap }, 0);
      }
    },
  };
}
