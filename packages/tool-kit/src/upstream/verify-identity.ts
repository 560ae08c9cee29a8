import type { CallScope } from "../core/call-scope.js";
import { StartupError } from "../core/startup-error.js";
import { toToolError } from "../errors/index.js";
import type { Logger } from "../logging/index.js";

/** How long the identity check may take before the start is refused. */
const DEFAULT_CHECK_DEADLINE_MS = 10_000;

/** What {@link verifyIdentity} checks, in the words its messages use. */
export interface IdentityCheck<C extends { close(): Promise<void> }> {
  /** The vendor, as people name it: `HubSpot`. */
  system: string;
  /** What the identity is: `portal`, `sender`, `account`. */
  identity: string;
  /** What the credential is: `token`. */
  credentialNoun: string;
  /** The variable holding the credential (named, never its value): `HUBSPOT_ACCESS_TOKEN`. */
  credentialVar: string;
  /** The variable naming the expected identity: `HUBSPOT_PORTAL_ID`. */
  expectedVar: string;
  /** The identity this environment expects. */
  expected: string;
  /** Where the identity is asked, for messages: `GET /account-info/v3/details`. */
  endpoint: string;
  /**
   * Opens a vendor client for the check alone, with the logger given (it logs only errors:
   * a refusal to start is one line on stderr, not that line behind the JSON lines of each
   * failed attempt). It is closed after the check.
   */
  openClient(logger: Logger): C;
  /** Asks the vendor whose credential this is; pass `scope` to the request. */
  read(client: C, scope: CallScope): Promise<string>;
  /** Whether the identity read is the one expected; default: equal strings. */
  matches?(expected: string, actual: string): boolean;
  logger: Logger;
  /** Default 10 s. */
  deadlineMs?: number;
}

/**
 * Checks at start that the credential belongs to the identity this environment expects (a
 * staging server never runs with a production token), with a client of its own that logs
 * only errors. Returns the identity read. Messages name the expected and actual identity and
 * the credential's variable, never the credential.
 *
 * @throws StartupError on a mismatch, a rejected credential (`PERMISSION_DENIED`), or when
 *   the vendor cannot be asked.
 */
export async function verifyIdentity<C extends { close(): Promise<void> }>(
  check: IdentityCheck<C>,
): Promise<string> {
  const { system, identity, credentialVar, expected, endpoint } = check;
  const client = check.openClient(check.logger.child({}, { level: "error" }));
  let actual: string;
  try {
    actual = await check.read(client, {
      deadline: Date.now() + (check.deadlineMs ?? DEFAULT_CHECK_DEADLINE_MS),
    });
  } catch (thrown) {
    const error = toToolError(thrown);
    if (error.code === "PERMISSION_DENIED") {
      throw new StartupError(
        `${system} rejected ${credentialVar} at the identity check (${endpoint} answered ${error.upstream?.status ?? "an auth error"}); expected a ${check.credentialNoun} of ${identity} ${expected}`,
      );
    }
    throw new StartupError(
      `could not check that ${credentialVar} belongs to ${identity} ${expected} (${endpoint}: ${error.code}: ${error.message})`,
    );
  } finally {
    await client.close().catch(() => undefined);
  }
  const matches = check.matches ?? ((a: string, b: string) => a === b);
  if (!matches(expected, actual)) {
    throw new StartupError(
      `${check.expectedVar} is ${expected} but ${credentialVar} belongs to ${identity} ${actual}; give this environment its own ${identity}'s ${check.credentialNoun}`,
    );
  }
  check.logger.info({ [identity]: actual, system }, `${system} ${identity} verified`);
  return actual;
}
