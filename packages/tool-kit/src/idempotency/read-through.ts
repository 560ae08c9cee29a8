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
  /**
   * How long a cache write that failed after a successful fill is retried in the background
   * (default 60 s, never past the entry's TTL). Meanwhile this process serves the filled value
   * to identical lookups, so the paid fill is not bought again.
   */
  cacheWriteRetryMs?: number;
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

/** A filled entry whose cache write failed: served in this process while the write is retried. */
interface PendingWrite {
  kind: CacheEntryKind;
  storedAt: number;
  /**
   * The value as filled, in JSON (as the store keeps it): what the first caller does with its
   * answer changes neither what is served here (each lookup gets its own copy) nor what is written.
   */
  json: string;
  /** Epoch ms the entry's TTL ends: past it the value is neither served nor written. */
  expiresAt: number;
}
/** Filled values not yet in the store, per store and key (see {@link retryCacheWrite}). */
const pendingWrites = new WeakMap<IdempotencyStore, Map<string, PendingWrite>>();

const DEFAULT_WRITE_RETRY_MS = 60_000;
const FIRST_WRITE_RETRY_DELAY_MS = 250;
const MAX_WRITE_RETRY_DELAY_MS = 5_000;

function pendingOf(store: IdempotencyStore): Map<string, PendingWrite> {
  let byKey = pendingWrites.get(store);
  if (byKey === undefined) {
    byKey = new Map();
    pendingWrites.set(store, byKey);
  }
  return byKey;
}

/**
 * A cached read with single-flight fill: a live entry (hit or miss) is returned without
 * calling `fill`; otherwise exactly one caller among every process sharing the store fills
 * it (under the store's fill lock) while the others wait for the entry. Concurrent callers in
 * one process share one lookup outright.
 *
 * The store-down rule: an unreadable cache is a miss, but a miss only goes upstream once the
 * fill lock is held and (with `cap`) a unit is reserved; if the store cannot do either, the
 * call fails with `STORE_UNAVAILABLE` (retryable) and nothing is spent, so a cap is never
 * exceeded.
 *
 * A cache write that fails after a successful fill (the store went down while the upstream
 * answered) does not lose what was paid for: the value is returned, kept in this process and
 * served to identical lookups here (`cached: true`) while the write is retried with backoff
 * for up to `cacheWriteRetryMs` (never past the entry's TTL); the fill lock is kept meanwhile
 * and released once the write lands. Another process cannot see the kept value: it waits on
 * the fill lock while its lease runs, cannot fill while the store is down (no lock, no cap
 * unit), and reads the entry once the retried write lands; only a lookup there that takes the
 * lapsed lock between the store's return and that write (at most one backoff step) fills again.
 * When the write still fails at the bound, the kept value is dropped with an error log.
 *
 * Throws `CAP_EXCEEDED` (with `details: {cap, limit, used, runId}`), `STORE_UNAVAILABLE`,
 * `IN_PROGRESS` (another process still filling at the deadline), or what `fill` throws.
 */
export async function readThrough<T>(options: ReadThroughOptions<T>): Promise<ReadThroughResult<T>> {
  const kept = pendingOf(options.store).get(options.key);
  if (kept !== undefined) {
    if (Date.now() < kept.expiresAt) {
      return { kind: kept.kind, value: JSON.parse(kept.json) as T, cached: true, storedAt: kept.storedAt };
    }
    pendingOf(options.store).delete(options.key);
  }
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
      // Kept while the filled value's write is retried, so no other process fills meanwhile.
      let writePending = false;
      try {
        // Another process may have filled it between our read and our lock.
        const found = await cachedEntry();
        if (found) return found;
        const filled = await fillAndStore(options, owner);
        writePending = filled.writePending;
        return filled.result;
      } finally {
        if (!writePending) await unlockFill(store, key, owner, logger);
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

async function fillAndStore<T>(
  options: ReadThroughOptions<T>,
  owner: string,
): Promise<{ result: ReadThroughResult<T>; writePending: boolean }> {
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
  const entry = { kind: filled.kind, value: filled.value as unknown, storedAt: Date.now() };
  const ttlMs = filled.kind === "hit" ? options.ttl.hitMs : options.ttl.missMs;
  const result = { kind: filled.kind, value: filled.value, cached: false, storedAt: entry.storedAt };
  try {
    await store.cacheSet(key, entry, ttlMs);
    return { result, writePending: false };
  } catch (error) {
    let json: string;
    try {
      json = JSON.stringify(entry.value ?? null);
    } catch {
      // A value JSON cannot hold is no store's to keep: nothing to retry.
      logger?.warn({ err: error, cacheKey: key }, "cache not written; the next lookup goes upstream again");
      return { result, writePending: false };
    }
    logger?.warn(
      { err: error, cacheKey: key },
      "cache not written; the value is kept in this process and the write retried",
    );
    const pending: PendingWrite = {
      kind: entry.kind,
      storedAt: entry.storedAt,
      json,
      expiresAt: entry.storedAt + ttlMs,
    };
    pendingOf(store).set(key, pending);
    void retryCacheWrite(options, owner, pending);
    return { result, writePending: true };
  }
}

/**
 * Retries the write of a filled value until it lands (then releases the fill lock and drops
 * the kept value: the store serves it from then on) or the bound passes (then drops the kept
 * value with an error log: the next lookup goes upstream again). Its timers are unref'd: a
 * process that is otherwise done does not wait for them.
 */
async function retryCacheWrite<T>(options: ReadThroughOptions<T>, owner: string, pending: PendingWrite) {
  const { store, key, logger } = options;
  const giveUpAt = Math.min(
    pending.expiresAt,
    pending.storedAt + (options.cacheWriteRetryMs ?? DEFAULT_WRITE_RETRY_MS),
  );
  const stillKept = () => pendingOf(store).get(key) === pending;
  let delay = FIRST_WRITE_RETRY_DELAY_MS;
  let attempts = 1;
  let lastError: unknown;
  while (stillKept()) {
    const wait = Math.min(delay / 2 + Math.random() * delay, giveUpAt - Date.now());
    if (wait <= 0) break;
    await new Promise((resolve) => setTimeout(resolve, wait).unref());
    if (!stillKept() || Date.now() >= giveUpAt) break;
    attempts += 1;
    try {
      const entry = { kind: pending.kind, value: JSON.parse(pending.json), storedAt: pending.storedAt };
      await store.cacheSet(key, entry, pending.expiresAt - Date.now());
      pendingOf(store).delete(key);
      logger?.info({ cacheKey: key, attempts }, "cache written on a retry");
      await unlockFill(store, key, owner, logger);
      return;
    } catch (error) {
      lastError = error;
      delay = Math.min(delay * 2, MAX_WRITE_RETRY_DELAY_MS);
    }
  }
  if (!stillKept()) return;
  pendingOf(store).delete(key);
  logger?.error(
    { err: lastError, cacheKey: key, attempts },
    "cache not written after retries; the next lookup goes upstream again",
  );
}

async function unlockFill(store: IdempotencyStore, key: string, owner: string, logger?: Logger) {
  await store.cacheUnlockFill(key, owner).catch((error: unknown) => {
    logger?.warn({ err: error, cacheKey: key }, "cache fill lock not released; it lapses with its lease");
  });
}
