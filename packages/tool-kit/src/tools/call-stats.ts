/**
 * Counters a tool call carries through its upstream requests, reported in the call log.
 * The upstream client increments them; the pipeline reads them once the call ends.
 */
export interface CallStats {
  /** HTTP attempts made upstream during the call (0 when none was needed). */
  attempts: number;
  /** Whether any request was retried inside the call. */
  retried: boolean;
}

/** A fresh set of counters for one call. */
export function newCallStats(): CallStats {
  return { attempts: 0, retried: false };
}
