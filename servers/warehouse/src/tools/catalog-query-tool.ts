import { ToolError, toToolError } from "@gtm-mcp/tool-kit/errors";
import {
  type AnyTool,
  DEFAULT_RESULT_BUDGET_CHARS,
  defineTool,
  type StateSeal,
  type ToolContext,
} from "@gtm-mcp/tool-kit/tools";
import { z } from "zod";
import { columnSchema } from "../catalog/columns.js";
import type { CatalogEntry } from "../catalog/load-catalog.js";
import { type Binding, bindingOf, paramSchema } from "../catalog/parameters.js";
import { type Page, readPage } from "../upstream/read-page.js";
import { type FinishedStatement, runStatement } from "../upstream/run-statement.js";
import { getStatement } from "../upstream/statements.js";
import type { WarehouseToolDeps } from "./deps.js";
import { argsDigest, decodeCursor, encodeCursor } from "./result-cursor.js";

/** Time kept, past the statement's own timeout, to fetch partitions and answer. */
const ANSWER_MARGIN_MS = 3_000;

const cursorArg = z
  .string()
  .min(8)
  .max(1_000)
  .optional()
  .describe(
    "Continue a truncated result: the cursor a previous call returned, with the same other arguments. Reads the stored result; the query does not run again.",
  );

/**
 * One catalog entry as a read tool. Its input is the entry's parameters (plus `cursor`), its
 * output the entry's columns. The SQL is the catalog's, values go only into bindings.
 *
 * Errors: INVALID_INPUT (a bad argument or cursor), UPSTREAM_REJECTED (Snowflake refused the
 * catalog SQL: a catalog bug, logged at error), UPSTREAM_TIMEOUT (past the entry's timeout;
 * the statement is cancelled in Snowflake), RATE_LIMITED, UPSTREAM_UNAVAILABLE,
 * PERMISSION_DENIED, UPSTREAM_CONTRACT_VIOLATION.
 */
export function catalogQueryTool(entry: CatalogEntry, deps: WarehouseToolDeps): AnyTool {
  const input = z.object({
    ...Object.fromEntries(Object.entries(entry.parameters).map(([name, spec]) => [name, paramSchema(spec)])),
    cursor: cursorArg,
  });
  const row = z.object(
    Object.fromEntries(entry.columns.map((column) => [column.name, columnSchema(column)])),
  );
  const output = z.object({
    rows: z.array(row).describe("The rows of this page, in the query's order"),
    offset: z.number().int().describe("Index of this page's first row in the whole result"),
    row_count: z.number().int().describe("Rows in this page"),
    total_rows: z.number().int().describe("Rows in the whole result"),
    truncated: z.boolean().describe("True when rows are left: call again with `cursor` for the next page"),
    truncated_by: z
      .enum(["row_limit", "char_budget"])
      .nullable()
      .describe("What ended the page: the entry's row limit or the size budget; null when complete"),
    cursor: z
      .string()
      .nullable()
      .describe("Pass back (with the same arguments) to read the next page; null when complete"),
    clipped_cells: z
      .array(
        z.object({
          row: z.number().int().describe("Index of the row in the whole result"),
          column: z.string(),
          total_chars: z.number().int().describe("The value's whole length in characters"),
        }),
      )
      .optional()
      .describe(
        "Only when a row alone exceeded the size budget: the cells cut to fit it. A cut text ends with `… [clipped: N characters in all]`; a cut value of another type is null. The rest of such a value cannot be read through this tool.",
      ),
  });
  return defineTool({
    name: entry.name,
    title: entry.title,
    description: `${entry.description} At most ${entry.row_limit} rows per call; a longer result comes back truncated with a cursor for the next page.`,
    kind: "read",
    input,
    output,
    deadlineMs: entry.timeout_seconds * 1_000 + ANSWER_MARGIN_MS,
    // The page's own budget (WAREHOUSE_RESULT_CHAR_BUDGET, up to 200,000) truncates with a
    // cursor first; the tool-kit's backstop sits above it, with room for the page's frame.
    resultBudgetChars: Math.max(DEFAULT_RESULT_BUDGET_CHARS, deps.charBudget * 2 + 8_192),
    async handler(args, ctx) {
      const values = args as Record<string, unknown>;
      const digest = argsDigest(values);
      const limits = { rowLimit: entry.row_limit, charBudget: deps.charBudget };
      let finished: FinishedStatement;
      let offset = 0;
      if (typeof values.cursor === "string") {
        const cursor = decodeCursor(ctx.seal, values.cursor, entry.name, digest);
        finished = await storedResult(deps, cursor.handle, ctx);
        offset = cursor.offset;
      } else {
        finished = await execute(entry, deps, values, ctx);
      }
      const page = await readPage(deps.snowflake, finished, entry.columns, offset, limits, ctx.scope);
      return answer(ctx.seal, entry.name, page, finished.handle, digest);
    },
  }) as AnyTool;
}

async function execute(
  entry: CatalogEntry,
  deps: WarehouseToolDeps,
  values: Record<string, unknown>,
  ctx: ToolContext,
): Promise<FinishedStatement> {
  const bindings: Record<string, Binding> = {};
  entry.bindOrder.forEach((name, i) => {
    bindings[String(i + 1)] = bindingOf(entry.parameters[name]!, values[name]);
  });
  try {
    return await runStatement(
      deps.snowflake,
      {
        statement: entry.statement,
        bindings,
        timeoutSeconds: entry.timeout_seconds,
        context: deps.context,
        requestId: deps.newRequestId(),
        queryTag: `gtm-mcp:${entry.name}`,
      },
      ctx,
    );
  } catch (thrown) {
    const error = toToolError(thrown);
    // The SQL is ours: Snowflake refusing it is a catalog bug, not the caller's.
    if (error.code === "UPSTREAM_REJECTED" && error.upstream?.status === 422)
      ctx.logger.error(
        { query: entry.name, details: error.details, message: error.message },
        "catalog query rejected by Snowflake",
      );
    throw error;
  }
}

/** A cursor's statement, read back from Snowflake's stored result (it keeps results for 24 h). */
async function storedResult(
  deps: WarehouseToolDeps,
  handle: string,
  ctx: ToolContext,
): Promise<FinishedStatement> {
  try {
    const state = await getStatement(deps.snowflake, handle, ctx.scope);
    if (state.done && state.meta) return { handle, meta: state.meta, data: state.data };
    throw new ToolError("IN_PROGRESS", "The cursor's statement is still running; retry shortly", {
      retryAfterMs: 1_000,
    });
  } catch (thrown) {
    const error = toToolError(thrown);
    if (
      error.code === "NOT_FOUND" ||
      (error.code === "UPSTREAM_REJECTED" && error.upstream?.status !== 422)
    ) {
      throw new ToolError(
        "INVALID_INPUT",
        "cursor: its stored result is no longer available; run the query again without cursor",
        {
          field: "cursor",
        },
      );
    }
    throw error;
  }
}

function answer(seal: StateSeal, query: string, page: Page, handle: string, args: string) {
  const truncated = page.nextOffset !== undefined;
  return {
    rows: page.rows,
    offset: page.offset,
    row_count: page.rows.length,
    total_rows: page.totalRows,
    truncated,
    truncated_by: page.truncatedBy ?? null,
    cursor: truncated ? encodeCursor(seal, { query, handle, offset: page.nextOffset!, args }) : null,
    ...(page.clipped
      ? {
          clipped_cells: page.clipped.map((c) => ({
            row: c.row,
            column: c.column,
            total_chars: c.totalChars,
          })),
        }
      : {}),
  };
}
