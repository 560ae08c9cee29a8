import { randomUUID } from "node:crypto";
import { ToolError } from "@gtm-mcp/tool-kit/errors";
import type { Snowflake } from "./client.js";
import { getStatement, type StatementContext, submitStatement } from "./statements.js";

/** One row of `SHOW GRANTS TO ROLE`: what the role holds. */
export interface RoleGrant {
  /** `USAGE`, `SELECT`, `MANAGE GRANTS`, `OWNERSHIP`, … (upper case). */
  privilege: string;
  /** The kind of object: `ACCOUNT`, `ROLE`, `DATABASE_ROLE`, `TABLE`, `USER`, … (upper case). */
  grantedOn: string;
  /** The object's name (a role's name for `USAGE` on a `ROLE`: a role this one inherits). */
  name: string;
  /** Whether the role may grant this privilege to others (`WITH GRANT OPTION`). */
  grantOption: boolean;
}

const SHOW_DEADLINE_MS = 15_000;

/** A role name as a quoted identifier: exactly that name, whatever its case or characters. */
export function quotedIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * Runs `SHOW GRANTS TO ROLE "<role>"` and reads every row (every partition) by the columns
 * Snowflake names: `privilege`, `granted_on`, `name`, `grant_option`.
 *
 * @throws ToolError as the client maps Snowflake's answer (a 422 `003001`/`42501` when the
 * session role may not see the role's grants), UPSTREAM_CONTRACT_VIOLATION when a column is
 * missing.
 */
export async function showGrantsToRole(
  snowflake: Snowflake,
  role: string,
  context: StatementContext,
): Promise<RoleGrant[]> {
  const scope = { deadline: Date.now() + SHOW_DEADLINE_MS };
  const state = await submitStatement(
    snowflake,
    {
      statement: `SHOW GRANTS TO ROLE ${quotedIdentifier(role)}`,
      bindings: {},
      timeoutSeconds: 10,
      context,
      requestId: randomUUID(),
    },
    scope,
  );
  if (!state.done) throw contractError("SHOW GRANTS did not finish at once");
  const index = (column: string): number => {
    const i = state.meta.rowType.findIndex((r) => r.name.toLowerCase() === column);
    if (i < 0) throw contractError(`SHOW GRANTS has no column ${column}`);
    return i;
  };
  const at = {
    privilege: index("privilege"),
    grantedOn: index("granted_on"),
    name: index("name"),
    grantOption: index("grant_option"),
  };
  const rows = [...state.data];
  const partitions = state.meta.partitionInfo?.length ?? 1;
  for (let partition = 1; partition < partitions; partition += 1) {
    const more = await getStatement(snowflake, state.handle, scope, partition);
    if (!more.done) throw contractError(`partition ${partition} of SHOW GRANTS answered 202`);
    rows.push(...more.data);
  }
  return rows.map((row) => ({
    privilege: (row[at.privilege] ?? "").toUpperCase(),
    grantedOn: (row[at.grantedOn] ?? "").toUpperCase(),
    name: row[at.name] ?? "",
    grantOption: (row[at.grantOption] ?? "").toLowerCase() === "true",
  }));
}

function contractError(what: string): ToolError {
  return new ToolError("UPSTREAM_CONTRACT_VIOLATION", `Snowflake's answer cannot be used: ${what}`, {
    upstream: { system: "snowflake" },
  });
}
