import type { Logger } from "@gtm-mcp/tool-kit/logging";
import { verifyIdentity } from "@gtm-mcp/tool-kit/upstream";
import { getTokenPortalId } from "./upstream/account-info.js";
import { type HubSpotApiVersion, hubspotPaths } from "./upstream/api-version.js";
import type { HubSpot } from "./upstream/client.js";

/**
 * Checks that the token belongs to the portal this environment expects
 * (`GET /account-info/{version}/details` → `portalId`), so a staging server never runs with a
 * production token, through the tool-kit's identity check: its own client logging only
 * errors, messages naming both portal ids and never the token.
 *
 * @throws StartupError on a mismatch, a rejected token, or when HubSpot cannot be asked.
 */
export async function verifyPortal(
  openClient: (logger: Logger) => HubSpot,
  expected: string,
  logger: Logger,
  apiVersion: HubSpotApiVersion,
): Promise<void> {
  await verifyIdentity({
    system: "HubSpot",
    identity: "portal",
    credentialNoun: "token",
    credentialVar: "HUBSPOT_ACCESS_TOKEN",
    expectedVar: "HUBSPOT_PORTAL_ID",
    expected,
    endpoint: `GET ${hubspotPaths(apiVersion).accountDetails()}`,
    openClient,
    read: getTokenPortalId,
    logger,
  });
}
