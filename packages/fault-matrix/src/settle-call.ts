import type { SpawnedStdioServer } from "@gtm-mcp/tool-kit/testing";

/** What one call of a tool answered (or that it got no answer: its process was killed). */
export interface Attempt {
  answer: "ok" | "error" | "none";
  code?: string;
  retryable?: boolean;
  sideEffect?: string;
  replayed?: boolean;
  retryAfterMs?: number;
  /** Why there was no answer. */
  lost?: string;
}

/** Generous bounds: a call that has not settled by then is reported, never waited on for ever. */
export const CALL_BOUND_MS = 120_000;
const SETTLE_BOUND_MS = 120_000;
const MAX_ATTEMPTS = 12;

/** One call; a process that dies under it (or a call over {@link CALL_BOUND_MS}) is an attempt with no answer. */
export async function callOnce(
  process: SpawnedStdioServer,
  tool: string,
  args: Record<string, unknown>,
): Promise<Attempt> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<Attempt>((resolve) => {
    timer = setTimeout(() => resolve({ answer: "none", lost: "no answer within the bound" }), CALL_BOUND_MS);
  });
  try {
    return await Promise.race([
      process.call(tool, args).then(
        (outcome): Attempt =>
          outcome.error
            ? {
                answer: "error",
                code: outcome.error.code,
                retryable: outcome.error.retryable,
                sideEffect: outcome.error.sideEffect,
                replayed: outcome.error.replayed === true,
                ...(typeof outcome.error.retryAfterMs === "number"
                  ? { retryAfterMs: outcome.error.retryAfterMs }
                  : {}),
              }
            : { answer: "ok", replayed: outcome.data?.replayed === true },
        (error: unknown): Attempt => ({ answer: "none", lost: (error as Error).message }),
      ),
      bound,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** True once an attempt settles the call: a result, or an error the caller must not retry. */
export function settles(attempt: Attempt): boolean {
  return attempt.answer === "ok" || (attempt.answer === "error" && attempt.retryable === false);
}

/**
 * Retries with the same arguments, as the agent's policy does (wait `retryAfterMs`, else
 * 0.5 s doubling up to 4 s), until the call settles or the bounds are spent. Returns every
 * attempt, the last one settling the call unless the bounds ran out.
 */
export async function settleCall(
  process: () => SpawnedStdioServer,
  tool: string,
  args: Record<string, unknown>,
): Promise<Attempt[]> {
  const attempts: Attempt[] = [];
  const until = Date.now() + SETTLE_BOUND_MS;
  let pause = 500;
  while (attempts.length < MAX_ATTEMPTS && Date.now() < until) {
    const attempt = await callOnce(process(), tool, args);
    attempts.push(attempt);
    if (settles(attempt)) break;
    await new Promise((resolve) => setTimeout(resolve, Math.min(attempt.retryAfterMs ?? pause, 5_000)));
    pause = Math.min(pause * 2, 4_000);
  }
  return attempts;
}
