import { ToolError, toToolError } from "@gtm-mcp/tool-kit/errors";
import type { ToolContext } from "@gtm-mcp/tool-kit/tools";
import { followUpScope, pollUntil } from "@gtm-mcp/tool-kit/upstream";
import type { Snowflake } from "./client.js";
import type { ResultMeta } from "./schemas.js";
import { cancelStatement, getStatement, type SubmitRequest, submitStatement } from "./statements.js";

/** A finished statement: its handle, metadata and first partition. */
export interface FinishedStatement {
  handle: string;
  meta: ResultMeta;
  data: Array<Array<string | null>>;
}

/** How long the cancel (and the resubmit that finds the handle) may take once the call has aborted. */
const CANCEL_BUDGET_MS = 5_000;
/**
 * Polling stops this long before the call's deadline, so the cancel and the answer saying so
 * go out while the call is still waited for.
 */
const CANCEL_RESERVE_MS = 1_500;

/**
 * Runs one statement to completion within the call: submits it (Snowflake answers at once
 * or, still running, with 202 and a handle), then polls the handle with backoff until the
 * deadline, reporting progress (elapsed, state) when the client asked for it.
 *
 * When the client cancels or the deadline passes, the statement is cancelled in Snowflake
 * (`POST …/{handle}/cancel`) on a fresh deadline of its own; if the submit itself was cut
 * off, the handle is first learned by resubmitting with the same requestId (`retry=true`,
 * `async=true`), which returns the existing statement and never starts a second one.
 *
 * @throws ToolError UPSTREAM_TIMEOUT (cancelled or past the deadline; the statement was
 * cancelled upstream), and what the Snowflake client throws (UPSTREAM_REJECTED on a 422, …).
 */
export async function runStatement(
  sf: Snowflake,
  req: SubmitRequest,
  ctx: ToolContext,
): Promise<FinishedStatement> {
  const started = Date.now();
  let handle: string | undefined;
  try {
    const submitted = await submitStatement(sf, req, ctx.scope);
    handle = submitted.handle;
    if (submitted.done) return submitted;
    const running = handle;
    return await pollUntil({
      what: "the Snowflake statement",
      deadline: ctx.deadline - CANCEL_RESERVE_MS,
      signal: ctx.signal,
      poll: async () => {
        const state = await getStatement(sf, running, ctx.scope);
        if (state.done && state.meta)
          return { done: true, value: { handle: running, meta: state.meta, data: state.data } };
        return { done: false, state: "running" };
      },
      onPending: ({ elapsedMs, state }) =>
        ctx.progress({
          progress: Math.round(elapsedMs / 100) / 10,
          message: `Snowflake statement ${state ?? "running"}; ${(elapsedMs / 1000).toFixed(1)} s elapsed`,
        }),
    });
  } catch (thrown) {
    const reason = ctx.abortReason() ?? (pastDeadline(thrown) ? "deadline" : undefined);
    if (reason === undefined) throw thrown;
    const cancelled = await cancelUpstream(sf, req, handle, ctx, reason);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    throw new ToolError(
      "UPSTREAM_TIMEOUT",
      reason === "cancelled"
        ? `The call was cancelled after ${seconds} s${cancelled ? "; the statement was cancelled in Snowflake" : ""}`
        : `The query did not finish within its ${req.timeoutSeconds} s budget${cancelled ? "; it was cancelled in Snowflake" : ""}. Narrow it (fewer days, a smaller limit) or retry later.`,
      { upstream: { system: "snowflake", ...(handle ? { requestId: handle } : {}) }, details: { reason } },
    );
  }
}

/** Whether polling gave up at its deadline (see `pollUntil`). */
function pastDeadline(thrown: unknown): boolean {
  const error = toToolError(thrown);
  return error.code === "UPSTREAM_TIMEOUT" && error.details?.reason === "deadline";
}

/** Cancels the statement upstream; true when Snowflake accepted the cancel. Never throws. */
async function cancelUpstream(
  sf: Snowflake,
  req: SubmitRequest,
  known: string | undefined,
  ctx: ToolContext,
  reason: "cancelled" | "deadline",
): Promise<boolean> {
  const scope = followUpScope(ctx.scope, CANCEL_BUDGET_MS);
  let handle = known;
  try {
    if (handle === undefined) {
      // The submit was cut off before its answer: the same requestId finds the statement.
      const again = await submitStatement(sf, { ...req, async: true, resubmit: true }, scope);
      if (again.done) return false;
      handle = again.handle;
    }
    await cancelStatement(sf, handle, scope);
    ctx.logger.info({ statementHandle: handle, reason }, "statement cancelled in Snowflake");
    return true;
  } catch (thrown) {
    const error = toToolError(thrown);
    ctx.logger.warn(
      { statementHandle: handle, reason, code: error.code, message: error.message },
      "could not cancel the statement in Snowflake; its own timeout will end it",
    );
    return false;
  }
}
