import { randomUUID } from "node:crypto";
import { ToolError, toToolError } from "../errors/index.js";
import type { Logger } from "../logging/index.js";
import type { CapUnits } from "./cap-counter.js";
import type { IdempotencyStore } from "./store.js";
import type { CacheEntryKind } from "./ttl-cache.js";

/** What a fill found: a value to cache as a hit, or an absence to cache as a miss. */
export interface FilledEntry<T> {
  kind: CacheEntryKind;
  value: T;
}

/** Options of {@link readThrough}. */
export interface ReadThroughOptions<T> {
  store: IdempotencyStore;
  /** The cache key, within the store's scope (`<tool or kind>:<normalised input>`). */
  key: string;
  /** How long a hit and a miss are kept. */
  ttl: { hitMs: number; missMs: number };
  /**
   * The cap the fill spends against (paid upstream calls): one unit is reserved before
   * `fill` runs and refunded when it fails with an error `refundOnError` accepts. When the
   * unit cannot be reserved (cap full: `CAP_EXCEEDED`; store unreachable: `STORE_UNAVAILABLE`)
   * `fill` does not run: the cap is never exceeded, even while the store is down.
   */
  cap?: CapUnits;
  /** Whether a failed fill spent nothing (no credit used), so its unit is given back. Default: never. */
  refundOnError?: (error: ToolError) => boolean;
  /** Reads the upstream. Throws on failure (nothing is cached then). */
  fill(): Promise<FilledEntry<T>>;
  /** Epoch ms by which the lookup must settle (a waiter gives up with `IN_PROGRESS` then). */
  deadline: number;
  signal?: AbortSignal;
  /** How long one filler holds the fill lock before another may take over (default 15 s). */
  lockLeaseMs?: number;
  /** Pause between checks while another process fills (default 50 ms, jittered). */
  pollMs?: number;
  logger?: Logger;
}

/** The answer of {@link readThrough}. */
export interface ReadThroughResult<T> {
  kind: CacheEntryKind;
  value: T;
  /** False only for the call whose own fill produced the value (the one that spent). */
  cached: boolean;
  /** Epoch ms when the value was fetched upstream. */
  storedAt: number;
}

type Flight = Promise<ReadThroughResult<unknown>>;
/** Lookups in flight in this process, per store: concurrent callers of one key share one. */
const flights = new WeakMap<IdempotencyStore, Map<string, Flight>>();

/**
 * A cached read with single-flight fill: a live entry (hit or miss) is returned without
 * calling `fill`; otherwise exactly one caller among every process sharing the store fills
 * it (under the store's fill lock) while the others wait for the entry. Concurrent callers in
 * one process share one lookup outright.
 *
 * The store-down rule: an unreadable cache is a miss, but a miss only goes upstream once the
 * fill lock is held and (with `cap`) a unit is reserved; if the store cannot do either, the
 * call fails with `STORE_UNAVAILABLE` (retryable) and nothing is spent, so a cap is never
 * exceeded. A cache write that fails after a successful fill is logged; the value is returned.
 *
 * Throws `CAP_EXCEEDED` (with `details: {cap, limit, used, runId}`), `STORE_UNAVAILABLE`,
 * `IN_PROGRESS` (another process still filling at the deadline), or what `fill` throws.
 */
export async function readThrough<T>(options: ReadThroughOptions<T>): Promise<ReadThroughResult<T>> {
  let byKey = flights.get(options.store);
  if (byKey === undefined) {
    byKey = new Map();
    flights.set(options.store, byKey);
  }
  const running = byKey.get(options.key);
  if (running !== undefined) {
    const shared = await running;
    return { ...(shared as ReadThroughResult<T>), cached: true };
  }
  const flight = lookup(options);
  byKey.set(options.key, flight);
  try {
    return await flight;
  } finally {
    byKey.delete(options.key);
  }
}

async function lookup<T>(options: ReadThroughOptions<T>): Promise<ReadThroughResult<T>> {
  const { store, key, logger } = options;
  const cachedEntry = async (): Promise<ReadThroughResult<T> | null> => {
    try {
      const entry = await store.cacheGet(key);
      return entry && { kind: entry.kind, value: entry.value as T, cached: true, storedAt: entry.storedAt };
    } catch (error) {
      // Unreadable is a miss; whether it may go upstream is decided by the lock and the cap.
      logger?.warn({ err: error, cacheKey: key }, "cache unreadable; treated as a miss");
      return null;
    }
  };

  const first = await cachedEntry();
  if (first) return first;
  const owner = randomUUID();
  const leaseMs = options.lockLeaseMs ?? 15_000;
  const pollMs = options.pollMs ?? 50;
  for (;;) {
    if (await store.cacheLockFill(key, owner, leaseMs)) {
      try {
        // Another process may have filled it between our read and our lock.
        return (await cachedEntry()) ?? (await fillAndStore(options));
      } finally {
        await store.cacheUnlockFill(key, owner).catch((error: unknown) => {
          logger?.warn(
            { err: error, cacheKey: key },
            "cache fill lock not released; it lapses with its lease",
          );
        });
      }
    }
    const wait = pollMs / 2 + Math.random() * pollMs;
    if (Date.now() + wait >= options.deadline || options.signal?.aborted) {
      throw new ToolError(
        "IN_PROGRESS",
        "Another call is looking up the same value and has not finished; retry shortly",
        { retryAfterMs: Math.ceil(pollMs * 4) },
      );
    }
    await new Promise((resolve) => setTimeout(resolve, wait));
    const filled = await cachedEntry();
    if (filled) return filled;
  }
}

async function fillAndStore<T>(options: ReadThroughOptions<T>): Promise<ReadThroughResult<T>> {
  const { store, key, cap, logger } = options;
  if (cap) {
    const reservation = await store.reserveCapUnits(cap);
    if (reservation.status === "cap_exceeded") {
      throw new ToolError(
        "CAP_EXCEEDED",
        `Run cap "${cap.name}" reached: ${reservation.used} of ${reservation.limit} used in run ${cap.runId}`,
        { details: { cap: cap.name, limit: reservation.limit, used: reservation.used, runId: cap.runId } },
      );
    }
  }
  let filled: FilledEntry<T>;
  try {
    filled = await options.fill();
  } catch (thrown) {
    if (cap && options.refundOnError?.(toToolError(thrown))) {
      await store.refundCapUnits(cap.name, cap.runId).catch((error: unknown) => {
        // Counting a unit that was not spent errs on the safe side of the cap.
        logger?.warn({ err: error, cap: cap.name }, "cap unit not refunded");
      });
    }
    throw thrown;
  }
  const storedAt = Date.now();
  const ttlMs = filled.kind === "hit" ? options.ttl.hitMs : options.ttl.missMs;
  await store
    .cacheSet(key, { kind: filled.kind, value: filled.value, storedAt }, ttlMs)
    .catch((error: unknown) => {
      logger?.warn({ err: error, cacheKey: key }, "cache not written; the next lookup goes upstream again");
    });
  return { kind: filled.kind, value: filled.value, cached: false, storedAt };
}
