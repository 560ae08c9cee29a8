/** Backoff settings of one client. */
export interface BackoffSettings {
  initialMs: number;
  maxMs: number;
}

/**
 * The wait before retry number `retry` (1 for the first retry): exponential from
 * `initialMs`, capped at `maxMs`, with "equal jitter" (a random point in the upper half) so
 * parallel sub-agents that failed together do not come back together, while each still
 * waits at least half the step.
 */
export function backoffDelay(
  retry: number,
  settings: BackoffSettings,
  random: () => number = Math.random,
): number {
  const step = Math.min(settings.maxMs, settings.initialMs * 2 ** Math.max(0, retry - 1));
  return Math.round(step / 2 + random() * (step / 2));
}

/** Resolves after `ms`, or resolves false at once when `signal` aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
