import { StartupError } from "@gtm-mcp/tool-kit/config";
import { toToolError } from "@gtm-mcp/tool-kit/errors";
import type { Logger } from "@gtm-mcp/tool-kit/logging";
import { getTokenPortalId } from "./upstream/account-info.js";
import type { HubSpot } from "./upstream/client.js";

const CHECK_DEADLINE_MS = 10_000;

/**
 * Checks that the token belongs to the portal this environment expects
 * (`GET /account-info/v3/details` → `portalId`), so a staging server never runs with a
 * production token. Messages name both portal ids and never the token.
 *
 * @throws StartupError on a mismatch, a rejected token, or when HubSpot cannot be asked.
 */
export async function verifyPortal(hubspot: HubSpot, expected: string, logger: Logger): Promise<void> {
  let actual: string;
  try {
    actual = await getTokenPortalId(hubspot, { deadline: Date.now() + CHECK_DEADLINE_MS });
  } catch (thrown) {
    const error = toToolError(thrown);
    const status = error.upstream?.status;
    if (error.code === "PERMISSION_DENIED") {
      throw new StartupError(
        `HubSpot rejected HUBSPOT_ACCESS_TOKEN at the identity check (GET /account-info/v3/details answered ${status ?? "an auth error"}); expected a token of portal ${expected}`,
      );
    }
    throw new StartupError(
      `could not check that HUBSPOT_ACCESS_TOKEN belongs to portal ${expected} (GET /account-info/v3/details: ${error.code}: ${error.message})`,
    );
  }
  if (actual !== expected) {
    throw new StartupError(
      `HUBSPOT_PORTAL_ID is ${expected} but HUBSPOT_ACCESS_TOKEN belongs to portal ${actual}; give this environment its own portal's token`,
    );
  }
  logger.info({ portalId: actual }, "HubSpot portal verified");
}
