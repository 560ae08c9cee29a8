import { randomUUID } from "node:crypto";
import { ToolError } from "@gtm-mcp/tool-kit/errors";
import type { Snowflake } from "./client.js";
import { type StatementContext, submitStatement } from "./statements.js";

const CHECK_DEADLINE_MS = 15_000;

/** Runs `SELECT CURRENT_ACCOUNT(), CURRENT_USER(), CURRENT_ROLE()` and reads the one row. */
export async function runIdentityQuery(
  snowflake: Snowflake,
  context: StatementContext,
): Promise<{ account: string; user: string; role: string }> {
  const state = await submitStatement(
    snowflake,
    {
      statement: "SELECT CURRENT_ACCOUNT(), CURRENT_USER(), CURRENT_ROLE()",
      bindings: {},
      timeoutSeconds: 10,
      context,
      requestId: randomUUID(),
    },
    { deadline: Date.now() + CHECK_DEADLINE_MS },
  );
  const row = state.done ? state.data[0] : undefined;
  if (!row || typeof row[0] !== "string" || typeof row[1] !== "string" || typeof row[2] !== "string") {
    throw new ToolError(
      "UPSTREAM_CONTRACT_VIOLATION",
      "the identity query did not return one row of three values",
      {
        upstream: { system: "snowflake" },
      },
    );
  }
  return { account: row[0], user: row[1], role: row[2] };
}
