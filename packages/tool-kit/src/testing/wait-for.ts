/**
 * Resolves once `condition()` holds, polling every 20 ms; rejects with `what` after
 * `timeoutMs` (default 30 s: a bound for giving up, generous enough for a loaded machine,
 * never a speed claim). For tests that watch a spawned server's output.
 */
export async function waitFor(
  condition: () => boolean,
  timeoutMs = 30_000,
  what = "the server",
): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
