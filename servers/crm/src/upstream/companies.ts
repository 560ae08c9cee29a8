import type { CallScope } from "@gtm-mcp/tool-kit/upstream";
import type { HubSpot } from "./client.js";
import { type HubSpotObject, hubspotObjectSchema } from "./schemas.js";

/** The fixed company property set every account read asks for (documented in the README). */
export const ACCOUNT_PROPERTIES = [
  "name",
  "domain",
  "industry",
  "lifecyclestage",
  "hubspot_owner_id",
  "city",
  "country",
  "numberofemployees",
  "annualrevenue",
  "hs_lastmodifieddate",
  "createdate",
] as const;

/**
 * `GET /crm/objects/{version}/companies/{id}?properties=…`.
 *
 * @throws ToolError NOT_FOUND when HubSpot has no such company, or as the client maps failures.
 */
export async function getCompany(
  hubspot: HubSpot,
  id: string,
  scope: CallScope,
  properties: readonly string[] = ACCOUNT_PROPERTIES,
): Promise<HubSpotObject> {
  const response = await hubspot.request(
    {
      method: "GET",
      path: hubspot.paths.object("companies", id),
      ...(properties.length > 0 ? { query: { properties: properties.join(",") } } : {}),
      operation: "companies.get",
      safeToRepeat: true,
      schema: hubspotObjectSchema,
    },
    scope,
  );
  return response.body;
}

/**
 * `PATCH /crm/objects/{version}/companies/{id}` with `{properties}`. Setting fixed values: safe to
 * repeat, so it is retried like a read.
 *
 * @throws ToolError NOT_FOUND for an unknown company; UPSTREAM_REJECTED naming the property HubSpot refused.
 */
export async function updateCompany(
  hubspot: HubSpot,
  id: string,
  properties: Record<string, string>,
  scope: CallScope,
): Promise<HubSpotObject> {
  const response = await hubspot.request(
    {
      method: "PATCH",
      path: hubspot.paths.object("companies", id),
      body: { properties },
      operation: "companies.update",
      safeToRepeat: true,
      schema: hubspotObjectSchema,
    },
    scope,
  );
  return response.body;
}
