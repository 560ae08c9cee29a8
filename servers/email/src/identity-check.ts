import { StartupError } from "@gtm-mcp/tool-kit/config";
import { toToolError } from "@gtm-mcp/tool-kit/errors";
import type { Logger } from "@gtm-mcp/tool-kit/logging";
import type { GtmEnv } from "@gtm-mcp/tool-kit/tools";
import type { OAuthAccessToken } from "@gtm-mcp/tool-kit/upstream";
import { normalizeAddress } from "./model/address.js";
import type { Gmail } from "./upstream/client.js";
import { getProfileAddress } from "./upstream/profile.js";

const CHECK_DEADLINE_MS = 10_000;

/** The scopes this server needs and may hold: drafts and sends, and reading. */
export const ALLOWED_SCOPES: ReadonlySet<string> = new Set([
  "https://www.googleapis.com/auth/gmail.compose",
  "https://www.googleapis.com/auth/gmail.readonly",
]);

/**
 * Least privilege: the scopes the token endpoint granted must stay within gmail.compose and
 * gmail.readonly. Any other (full mailbox access `https://mail.google.com/`, `gmail.modify`,
 * …) refuses to start in staging and production, naming them; the sandbox only warns. An
 * answer without `scope` cannot be checked (logged).
 *
 * @throws StartupError naming the extra scopes.
 */
export function checkScopes(token: OAuthAccessToken, env: GtmEnv, logger: Logger): void {
  if (token.scopes === undefined) {
    logger.warn("the token endpoint did not say which scopes it granted; least privilege not checked");
    return;
  }
  const extra = token.scopes.filter((s) => !ALLOWED_SCOPES.has(s));
  if (extra.length === 0) return;
  const message = `the Gmail refresh token grants more than gmail.compose and gmail.readonly: ${extra.join(", ")}; issue a token with only those two scopes`;
  if (env === "sandbox") logger.warn({ extraScopes: extra }, message);
  else throw new StartupError(message);
}

/**
 * The mailbox the token belongs to (`GET /profile`), checked against `expected`
 * (`GMAIL_SENDER`) when given, so a staging server never sends from the production mailbox.
 * Messages name both addresses and never a secret.
 *
 * @throws StartupError on a mismatch, a refused token, or when Gmail cannot be asked.
 */
export async function verifySender(
  gmail: Gmail,
  expected: string | undefined,
  logger: Logger,
): Promise<string> {
  let actual: string;
  try {
    actual = await getProfileAddress(gmail, { deadline: Date.now() + CHECK_DEADLINE_MS });
  } catch (thrown) {
    const error = toToolError(thrown);
    if (error.code === "PERMISSION_DENIED") {
      throw new StartupError(
        `Gmail refused the credential at the identity check (GET /profile): ${error.message}${expected ? `; expected the mailbox ${expected}` : ""}`,
      );
    }
    throw new StartupError(
      `could not check the Gmail mailbox (GET /profile: ${error.code}: ${error.message})`,
    );
  }
  const normalized = normalizeAddress(actual) ?? actual.toLowerCase();
  if (expected !== undefined && normalized.toLowerCase() !== expected.toLowerCase()) {
    throw new StartupError(
      `GMAIL_SENDER is ${expected} but the Gmail token belongs to ${normalized}; give this environment its own mailbox's token`,
    );
  }
  logger.info({ sender: normalized }, "Gmail mailbox verified");
  return normalized;
}
