// A leaf module: the per-call context the pipeline (tools) creates and the upstream client
// reads. It lives below both so that neither layer imports the other for it.

/**
 * Counters a tool call carries through its upstream requests, reported in the call log.
 * The upstream client increments them; the pipeline reads them once the call ends.
 */
export interface CallStats {
  /** HTTP attempts made upstream during the call (0 when none was needed). */
  attempts: number;
  /** Whether any request was retried inside the call. */
  retried: boolean;
  /** Cache lookups of the call (read tools over a paid upstream), when it made any. */
  cache?: { hits: number; misses: number };
}

/** A fresh set of counters for one call. */
export function newCallStats(): CallStats {
  return { attempts: 0, retried: false };
}

/** Per-call context: the tool call's deadline and its counters. */
export interface CallScope {
  /** Aborted when the tool call's deadline passes or the client cancels. */
  signal?: AbortSignal;
  /** Epoch ms by which the whole call (all attempts and waits) must finish. */
  deadline?: number;
  stats?: CallStats;
}

/** Counts one cache lookup of the call: served from the cache (`hit`) or filled upstream. */
export function noteCacheLookup(stats: CallStats, served: "hit" | "miss"): void {
  stats.cache ??= { hits: 0, misses: 0 };
  if (served === "hit") stats.cache.hits += 1;
  else stats.cache.misses += 1;
}
