import type { CallScope } from "./types.js";

/** Default budget of a follow-up request: long enough for one vendor round trip and a retry. */
const DEFAULT_FOLLOW_UP_MS = 5_000;

/**
 * A scope for a request sent after the call's own signal aborted (cancelling upstream work
 * once the client cancelled or the deadline passed): a fresh deadline and a signal of its
 * own, so the request is not aborted before it leaves. Keeps the call's counters, so the
 * call log counts its attempts.
 */
export function followUpScope(call: CallScope, timeoutMs = DEFAULT_FOLLOW_UP_MS): CallScope {
  return {
    signal: AbortSignal.timeout(timeoutMs),
    deadline: Date.now() + timeoutMs,
    ...(call.stats ? { stats: call.stats } : {}),
  };
}
