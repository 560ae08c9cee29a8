import type { CallScope } from "@gtm-mcp/tool-kit/upstream";
import type { HubSpot } from "./client.js";
import { accountDetailsSchema } from "./schemas.js";

/**
 * `GET /account-info/{version}/details` → the `portalId` the token belongs to.
 *
 * @throws ToolError PERMISSION_DENIED for a rejected token, or as the client maps failures.
 */
export async function getTokenPortalId(hubspot: HubSpot, scope: CallScope): Promise<string> {
  const response = await hubspot.request(
    {
      method: "GET",
      path: hubspot.paths.accountDetails(),
      operation: "account_info.details",
      safeToRepeat: true,
      schema: accountDetailsSchema,
    },
    scope,
  );
  return response.body.portalId;
}
