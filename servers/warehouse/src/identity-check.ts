import { StartupError } from "@gtm-mcp/tool-kit/config";
import { toToolError } from "@gtm-mcp/tool-kit/errors";
import type { Logger } from "@gtm-mcp/tool-kit/logging";
import { ADMIN_ROLES } from "./config.js";
import { verifyRoleGrants } from "./role-check.js";
import { jwtAccount } from "./upstream/auth.js";
import type { Snowflake } from "./upstream/client.js";
import { runIdentityQuery } from "./upstream/identity-query.js";
import type { StatementContext } from "./upstream/statements.js";

/** What the credential must be. */
export interface ExpectedIdentity {
  account: string;
  user: string;
  role: string;
}

/**
 * Checks, with `SELECT CURRENT_ACCOUNT(), CURRENT_USER(), CURRENT_ROLE()`, that the credential
 * is the configured account, user and role, and that the role is not an administrative one,
 * so a staging server never runs with production's credential or with more power than
 * reading needs; then that the role cannot grant privileges or manage users, itself or
 * through a role it inherits (see {@link verifyRoleGrants}). Names expected and actual, never
 * the credential.
 *
 * @throws StartupError on a mismatch, an admin role (or one inherited), or when Snowflake
 * cannot be asked.
 */
export async function verifyIdentity(
  snowflake: Snowflake,
  expected: ExpectedIdentity,
  context: StatementContext,
  logger: Logger,
): Promise<void> {
  let actual: { account: string; user: string; role: string };
  try {
    actual = await runIdentityQuery(snowflake, context);
  } catch (thrown) {
    const error = toToolError(thrown);
    throw new StartupError(
      error.code === "PERMISSION_DENIED"
        ? `Snowflake rejected the credential at the identity check (${error.upstream?.status ?? "auth error"}); expected user ${expected.user} of account ${expected.account}`
        : `could not check the Snowflake identity (${error.code}: ${error.message})`,
    );
  }
  const mismatches: string[] = [];
  if (actual.account.toUpperCase() !== jwtAccount(expected.account))
    mismatches.push(`account ${jwtAccount(expected.account)} expected, credential is ${actual.account}`);
  if (actual.user.toUpperCase() !== expected.user.toUpperCase())
    mismatches.push(`user ${expected.user.toUpperCase()} expected, credential is ${actual.user}`);
  if (actual.role.toUpperCase() !== expected.role.toUpperCase())
    mismatches.push(`role ${expected.role.toUpperCase()} expected, session has ${actual.role}`);
  if ((ADMIN_ROLES as readonly string[]).includes(actual.role.toUpperCase()))
    mismatches.push(`role ${actual.role} is administrative; use a read-only role`);
  if (mismatches.length > 0)
    throw new StartupError(`Snowflake identity check failed: ${mismatches.join("; ")}`);
  // Before anything is logged: a refusal to start is one line.
  await verifyRoleGrants(snowflake, actual.role, context, logger);
  logger.info(actual, "Snowflake identity verified");
}
