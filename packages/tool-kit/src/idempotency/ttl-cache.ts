/**
 * The TTL cache of the store (design.md §4): read tools that pay per upstream call remember
 * answers in the same store the write path uses, so every process sharing the store shares
 * the cache. An entry is a found value (`hit`) or a remembered absence (`miss`, such as a
 * vendor's "no match"), each stored with its own TTL by the caller.
 */

/** What a cache entry says: the value was found, or the lookup found nothing. */
export type CacheEntryKind = "hit" | "miss";

/** What the caller stores. `value` must survive `JSON.stringify`. */
export interface NewCacheEntry {
  kind: CacheEntryKind;
  value: unknown;
  /** When the value was fetched (epoch ms), so a later read reports the same time; default now. */
  storedAt?: number;
}

/** A live cache entry as read back. */
export interface CacheEntry extends NewCacheEntry {
  /** Epoch ms when the value was fetched (as given to `cacheSet`, else when it was stored). */
  storedAt: number;
  /** Epoch ms after which it is gone. */
  expiresAt: number;
}

/**
 * Cache operations every store implements. Keys are scoped to the store's server and
 * environment like idempotency keys. Each method throws `ToolError("STORE_UNAVAILABLE")`
 * when the store cannot be reached.
 */
export interface TtlCacheStore {
  /** The live entry under `key`, or null (absent or expired). */
  cacheGet(key: string): Promise<CacheEntry | null>;
  /** Stores (or replaces) the entry under `key` for `ttlMs`. */
  cacheSet(key: string, entry: NewCacheEntry, ttlMs: number): Promise<void>;
  /**
   * Takes the fill lock of `key` for `leaseMs` when nobody holds a live one: the one caller
   * that gets `true` fills the entry; the others wait for it (single flight across processes).
   * A holder that dies without unlocking blocks others only until its lease lapses.
   */
  cacheLockFill(key: string, owner: string, leaseMs: number): Promise<boolean>;
  /** Drops the fill lock when `owner` still holds it; false otherwise. */
  cacheUnlockFill(key: string, owner: string): Promise<boolean>;
}
