import type { Logger } from "../logging/index.js";
import type { IdempotencyStore } from "./store.js";

/** The write keys this process holds, as {@link trackHeldKeys} sees them. */
export interface HeldKeys {
  /** How many keys this process claimed and has not completed, released or marked unknown. */
  readonly size: number;
  /**
   * Marks every key still held `unknown` (fenced by its owner token), so the next identical
   * call reconciles with the vendor instead of waiting for a lease to lapse. For shutdown:
   * call it before the store closes. Resolves with how many were marked.
   */
  settleAsUnknown(logger?: Logger): Promise<number>;
}

/**
 * Wraps a store so that the process knows which keys it holds: a claim that answered
 * `acquired` or `unknown` (a takeover) adds its key and owner; a complete, release or
 * markUnknown that got an answer removes it. What is left when the process stops are writes
 * that may still be running, or may have reached the vendor unanswered.
 */
export function trackHeldKeys(store: IdempotencyStore): { store: IdempotencyStore; held: HeldKeys } {
  const held = new Map<string, { key: string; owner: string }>();
  const id = (key: string, owner: string) => `${owner}\u0000${key}`;
  const settled =
    (name: "complete" | "release" | "markUnknown") =>
    async (key: string, owner: string, ...rest: unknown[]): Promise<boolean> => {
      const answer = await (store[name] as (...a: unknown[]) => Promise<boolean>).call(
        store,
        key,
        owner,
        ...rest,
      );
      held.delete(id(key, owner));
      return answer;
    };
  const tracked: IdempotencyStore = {
    get kind() {
      return store.kind;
    },
    claim: async (request) => {
      const result = await store.claim(request);
      if (result.status === "acquired" || result.status === "unknown") {
        held.set(id(request.key, request.owner), { key: request.key, owner: request.owner });
      }
      return result;
    },
    complete: settled("complete") as IdempotencyStore["complete"],
    release: settled("release") as IdempotencyStore["release"],
    markUnknown: settled("markUnknown") as IdempotencyStore["markUnknown"],
    renew: (key, owner, leaseMs) => store.renew(key, owner, leaseMs),
    get: (key) => store.get(key),
    capUsage: (name, runId) => store.capUsage(name, runId),
    addReview: (review) => store.addReview(review),
    listReviews: (options) => store.listReviews(options),
    getReview: (reviewId) => store.getReview(reviewId),
    resolveReview: (reviewId, resolution) => store.resolveReview(reviewId, resolution),
    ping: () => store.ping(),
    identity: () => store.identity(),
    cacheGet: (key) => store.cacheGet(key),
    cacheSet: (key, entry, ttlMs) => store.cacheSet(key, entry, ttlMs),
    cacheLockFill: (key, owner, leaseMs) => store.cacheLockFill(key, owner, leaseMs),
    cacheUnlockFill: (key, owner) => store.cacheUnlockFill(key, owner),
    reserveCapUnits: (cap, units) => store.reserveCapUnits(cap, units),
    refundCapUnits: (name, runId, units) => store.refundCapUnits(name, runId, units),
    close: () => store.close(),
  };
  return {
    store: tracked,
    held: {
      get size() {
        return held.size;
      },
      async settleAsUnknown(logger) {
        let marked = 0;
        for (const { key, owner } of [...held.values()]) {
          try {
            if (await store.markUnknown(key, owner)) marked += 1;
            held.delete(id(key, owner));
          } catch (error) {
            logger?.error(
              { err: error, idempotencyKey: key },
              "could not mark a held write key unknown at shutdown",
            );
          }
        }
        if (marked > 0) {
          logger?.warn(
            { keys: marked },
            "write keys still held at shutdown marked unknown: the next identical call reconciles before acting",
          );
        }
        return marked;
      },
    },
  };
}
