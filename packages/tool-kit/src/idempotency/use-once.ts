import { randomUUID } from "node:crypto";
import type { TtlCacheStore } from "./ttl-cache.js";

const PREFIX = "use-once:";

/**
 * Marks `name` used, across every process sharing the store, and says whether this was its
 * first use: true once, false for every later call until `ttlMs` has passed. For a one-time
 * token (a confirmation's nonce): give `ttlMs` at least the token's remaining life, so the
 * mark outlives what it protects.
 *
 * Built on the cache's fill lock (an atomic set-if-absent with its own expiry on both stores)
 * under its own prefix; the lock is never released, so it is the mark.
 */
export async function useOnce(store: TtlCacheStore, name: string, ttlMs: number): Promise<boolean> {
  return store.cacheLockFill(`${PREFIX}${name}`, randomUUID(), Math.max(1, ttlMs));
}
