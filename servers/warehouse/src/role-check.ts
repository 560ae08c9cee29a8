import { StartupError } from "@gtm-mcp/tool-kit/config";
import { type ToolError, toToolError } from "@gtm-mcp/tool-kit/errors";
import type { Logger } from "@gtm-mcp/tool-kit/logging";
import { ADMIN_ROLES } from "./config.js";
import type { Snowflake } from "./upstream/client.js";
import { type RoleGrant, showGrantsToRole } from "./upstream/show-grants.js";
import type { StatementContext } from "./upstream/statements.js";

/** Account privileges that administer access: granting any privilege, creating users or roles. */
export const ADMIN_PRIVILEGES = ["MANAGE GRANTS", "CREATE USER", "CREATE ROLE"] as const;

/** Most roles of the hierarchy read (the session role and those it inherits, at any depth). */
export const MAX_ROLES_CHECKED = 50;

/** Problems named in the one line of a refusal (the rest are counted). */
const PROBLEMS_SHOWN = 3;

/**
 * Checks, with `SHOW GRANTS TO ROLE`, that the session role cannot grant privileges or manage
 * users, through its own grants or any role it inherits (followed breadth-first, at most
 * {@link MAX_ROLES_CHECKED} roles). Refused: inheriting an administrative role
 * ({@link ADMIN_ROLES}); {@link ADMIN_PRIVILEGES} on the account; `OWNERSHIP` of a user or a
 * role; any privilege held `WITH GRANT OPTION`. A role whose grants the session may not see
 * (Snowflake's `003001`/`42501` or `002003`) is skipped with a warning: only its name was
 * checked.
 *
 * @throws StartupError naming the role path and what it holds; also when the hierarchy is
 * larger than the bound, or when Snowflake cannot be asked (the check fails closed).
 */
export async function verifyRoleGrants(
  snowflake: Snowflake,
  role: string,
  context: StatementContext,
  logger: Logger,
): Promise<void> {
  const queue: Array<{ name: string; path: string }> = [{ name: role, path: role }];
  const seen = new Set([role.toUpperCase()]);
  const problems: string[] = [];
  const unchecked: string[] = [];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    let grants: RoleGrant[];
    try {
      grants = await showGrantsToRole(snowflake, next.name, context);
    } catch (thrown) {
      const error = toToolError(thrown);
      if (notAllowed(error)) {
        unchecked.push(next.name);
        continue;
      }
      throw new StartupError(
        // One line: Snowflake's messages carry line breaks.
        `could not check the grants of Snowflake role ${next.path} (${error.code}: ${error.message.replace(/\s+/g, " ")})`,
      );
    }
    for (const grant of grants) {
      const problem = problemOf(grant, next.path);
      if (problem) problems.push(problem);
      if (grant.privilege === "USAGE" && grant.grantedOn === "ROLE" && !seen.has(grant.name.toUpperCase())) {
        seen.add(grant.name.toUpperCase());
        if (seen.size > MAX_ROLES_CHECKED)
          throw new StartupError(
            `Snowflake role ${role} inherits more than ${MAX_ROLES_CHECKED} roles, more than the role check reads; give the server a read-only role with a small hierarchy`,
          );
        queue.push({ name: grant.name, path: `${next.path} > ${grant.name}` });
      }
    }
  }
  if (problems.length > 0) {
    const more = problems.length > PROBLEMS_SHOWN ? ` (and ${problems.length - PROBLEMS_SHOWN} more)` : "";
    throw new StartupError(
      `Snowflake role check failed: role ${role} can grant privileges or manage users: ${problems.slice(0, PROBLEMS_SHOWN).join("; ")}${more}; give the server a read-only role`,
    );
  }
  if (unchecked.length > 0)
    logger.warn(
      { unchecked },
      "the session role may not run SHOW GRANTS on these roles: only their names were checked against the administrative roles",
    );
  logger.info({ role, rolesChecked: seen.size - unchecked.length }, "Snowflake role grants checked");
}

function problemOf(grant: RoleGrant, path: string): string | undefined {
  if (grant.privilege === "USAGE" && grant.grantedOn === "ROLE") {
    if ((ADMIN_ROLES as readonly string[]).includes(grant.name.toUpperCase()))
      return `${path} inherits ${grant.name}`;
  }
  if (grant.grantedOn === "ACCOUNT" && (ADMIN_PRIVILEGES as readonly string[]).includes(grant.privilege))
    return `${path} holds ${grant.privilege} on the account`;
  if (grant.privilege === "OWNERSHIP" && (grant.grantedOn === "USER" || grant.grantedOn === "ROLE"))
    return `${path} owns ${grant.grantedOn.toLowerCase()} ${grant.name}`;
  if (grant.grantOption)
    return `${path} holds ${grant.privilege} on ${grant.grantedOn.toLowerCase()} ${grant.name} WITH GRANT OPTION`;
  return undefined;
}

/** Snowflake's answer when the session role may not see a role's grants. */
function notAllowed(error: ToolError): boolean {
  if (error.code !== "UPSTREAM_REJECTED") return false;
  const details = error.details ?? {};
  return (
    details.sqlState === "42501" || details.snowflakeCode === "003001" || details.snowflakeCode === "002003"
  );
}
