import { ToolError } from "@gtm-mcp/tool-kit/errors";
import type { CallScope } from "@gtm-mcp/tool-kit/upstream";
import type { Binding } from "../catalog/parameters.js";
import type { Snowflake } from "./client.js";
import { cancelStatusSchema, type ResultMeta, type ResultSet, statementAnswerSchema } from "./schemas.js";

/** Where a statement runs: sent with every submit (empty ones left out: the user's defaults apply). */
export interface StatementContext {
  role?: string | undefined;
  warehouse?: string | undefined;
  database?: string | undefined;
  schema?: string | undefined;
}

/** One statement to submit. */
export interface SubmitRequest {
  statement: string;
  /** Positional bindings, keyed "1", "2", … */
  bindings: Record<string, Binding>;
  /** Snowflake cancels the statement itself after this long. */
  timeoutSeconds: number;
  context: StatementContext;
  /** One per logical call: a resubmit with it (and `retry=true`) cannot run the statement twice. */
  requestId: string;
  /** Return a handle at once instead of waiting up to ~45 s for the result. */
  async?: boolean;
  /** A resubmit of an earlier request with the same requestId (`retry=true`). */
  resubmit?: boolean;
  queryTag?: string;
}

/** A statement's state: finished with its first partition, or still running. */
export type StatementState =
  | { done: true; handle: string; meta: ResultMeta; data: Array<Array<string | null>> }
  | { done: false; handle: string; code?: string | undefined };

/**
 * Submits a statement (`POST /api/v2/statements?requestId=…`). A retry inside the call goes
 * out with the same `requestId` and `retry=true`, so Snowflake answers with the first
 * submission's statement rather than running it again.
 *
 * @throws ToolError as the client maps Snowflake's answer (422 → UPSTREAM_REJECTED, 408 →
 * UPSTREAM_TIMEOUT, 429 → RATE_LIMITED, 5xx → UPSTREAM_UNAVAILABLE, …).
 */
export async function submitStatement(
  sf: Snowflake,
  req: SubmitRequest,
  scope: CallScope,
): Promise<StatementState> {
  const body = {
    statement: req.statement,
    timeout: req.timeoutSeconds,
    ...(req.context.database ? { database: req.context.database } : {}),
    ...(req.context.schema ? { schema: req.context.schema } : {}),
    ...(req.context.warehouse ? { warehouse: req.context.warehouse } : {}),
    ...(req.context.role ? { role: req.context.role } : {}),
    ...(Object.keys(req.bindings).length > 0 ? { bindings: req.bindings } : {}),
    ...(req.queryTag ? { parameters: { query_tag: req.queryTag } } : {}),
  };
  const response = await sf.request(
    {
      method: "POST",
      path: "/api/v2/statements",
      query: {
        requestId: req.requestId,
        async: req.async === true,
        ...(req.resubmit ? { retry: true } : {}),
      },
      retryQuery: { retry: true },
      body,
      operation: "statements.submit",
      safeToRepeat: true,
      schema: statementAnswerSchema,
      okStatuses: [200, 202],
    },
    scope,
  );
  return stateOf(response.status, response.body);
}

/**
 * Reads a statement's state, or a partition of its result (`GET /api/v2/statements/{handle}`,
 * `?partition=N`): the stored result is read again, the statement is not run again.
 */
export async function getStatement(
  sf: Snowflake,
  handle: string,
  scope: CallScope,
  partition?: number,
): Promise<
  StatementState | { done: true; handle: string; meta?: undefined; data: Array<Array<string | null>> }
> {
  const response = await sf.request(
    {
      method: "GET",
      path: `/api/v2/statements/${encodeURIComponent(handle)}`,
      ...(partition !== undefined ? { query: { partition } } : {}),
      operation: partition === undefined ? "statements.status" : "statements.partition",
      safeToRepeat: true,
      schema: statementAnswerSchema,
      okStatuses: [200, 202],
    },
    scope,
  );
  if (partition !== undefined && partition > 0 && response.status === 200) {
    // Later partitions carry only `data`.
    return { done: true, handle, data: (response.body as ResultSet).data ?? [] };
  }
  return stateOf(response.status, response.body, handle);
}

/** Cancels a running statement (`POST /api/v2/statements/{handle}/cancel`). */
export async function cancelStatement(sf: Snowflake, handle: string, scope: CallScope): Promise<void> {
  await sf.request(
    {
      method: "POST",
      path: `/api/v2/statements/${encodeURIComponent(handle)}/cancel`,
      operation: "statements.cancel",
      // Cancelling twice is cancelling once.
      safeToRepeat: true,
      schema: cancelStatusSchema,
    },
    scope,
  );
}

function stateOf(status: number, body: unknown, knownHandle?: string): StatementState {
  const answer = body as ResultSet & { statementHandle?: string };
  const handle = answer.statementHandle ?? knownHandle;
  if (handle === undefined) throw contractError("the answer has no statementHandle");
  if (status === 202) return { done: false, handle, code: answer.code };
  if (!answer.resultSetMetaData) throw contractError("a finished statement came without resultSetMetaData");
  return { done: true, handle, meta: answer.resultSetMetaData, data: answer.data ?? [] };
}

function contractError(what: string): ToolError {
  return new ToolError("UPSTREAM_CONTRACT_VIOLATION", `Snowflake's answer cannot be used: ${what}`, {
    upstream: { system: "snowflake" },
  });
}
