import { ToolError } from "../errors/index.js";
import { backoffDelay, sleep } from "./backoff.js";

/** One look at a long-running operation: finished with a value, or still running. */
export type PollOutcome<T> = { done: true; value: T } | { done: false; state?: string };

/** Options of {@link pollUntil}. */
export interface PollOptions<T> {
  /** Asks once; `attempt` counts from 1. Throw to stop polling with that error. */
  poll(attempt: number): Promise<PollOutcome<T>>;
  /** Epoch ms after which no further look is started. */
  deadline: number;
  /** Stops the waits between looks (the call's cancellation or deadline). */
  signal?: AbortSignal;
  /** First wait and longest wait between looks (defaults 250 ms and 2,000 ms), jittered. */
  backoff?: { initialMs?: number; maxMs?: number };
  /** Told after each look that found the operation still running (for progress reports). */
  onPending?(info: { attempt: number; elapsedMs: number; state?: string }): void | Promise<void>;
  /** Names the operation in the timeout message: `the statement`. */
  what?: string;
  random?: () => number;
}

/**
 * Polls a long-running operation until it is done, waiting between looks with jittered
 * exponential backoff, never past `deadline`. The last wait is shortened to end at the
 * deadline, so one final look happens before giving up.
 *
 * @throws ToolError UPSTREAM_TIMEOUT (retryable) when the deadline passes or `signal` aborts
 * first (`details.reason`: `deadline` or `aborted`); whatever `poll` throws.
 */
export async function pollUntil<T>(options: PollOptions<T>): Promise<T> {
  const started = Date.now();
  const settings = { initialMs: options.backoff?.initialMs ?? 250, maxMs: options.backoff?.maxMs ?? 2_000 };
  const what = options.what ?? "the operation";
  const stop = (reason: "deadline" | "aborted"): ToolError =>
    new ToolError(
      "UPSTREAM_TIMEOUT",
      reason === "deadline"
        ? `${what} was still running after ${Date.now() - started} ms`
        : `Stopped waiting for ${what}: the call was aborted`,
      { details: { reason } },
    );
  for (let attempt = 1; ; attempt += 1) {
    if (options.signal?.aborted) throw stop("aborted");
    const outcome = await options.poll(attempt);
    if (outcome.done) return outcome.value;
    await options.onPending?.({
      attempt,
      elapsedMs: Date.now() - started,
      ...(outcome.state !== undefined ? { state: outcome.state } : {}),
    });
    const left = options.deadline - Date.now();
    if (left <= 0) throw stop("deadline");
    const wait = Math.min(left, backoffDelay(attempt, settings, options.random));
    if (!(await sleep(wait, options.signal))) throw stop("aborted");
  }
}
