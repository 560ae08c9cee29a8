/** What one tool call came back with, as the run sees it. */
export type CallOutcome =
  | { ok: true; structured: Record<string, unknown>; replayed: boolean }
  | {
      ok: false;
      error: {
        code: string;
        message: string;
        retryAfterMs?: number;
        sideEffect?: string;
        reviewId?: string;
        replayed?: boolean;
      };
    };

/** Calls one tool of one server. Never throws: a lost connection is an error outcome. */
export interface ToolCaller {
  call(server: string, tool: string, args: Record<string, unknown>): Promise<CallOutcome>;
}

/**
 * The code the run gives a call whose connection was lost (the server process died): the
 * call may have acted, so it is retried like `OUTCOME_UNKNOWN` and the server reconciles.
 */
export const CONNECTION_LOST = "OUTCOME_UNKNOWN";
