import type { CallScope } from "@gtm-mcp/tool-kit/upstream";
import type { HubSpot } from "./client.js";
import { type SearchPage, searchPageSchema } from "./schemas.js";

/** One filter of a HubSpot search (filters of one group are ANDed). */
export interface SearchFilter {
  propertyName: string;
  operator: "EQ" | "NEQ" | "GTE" | "LTE" | "IN" | "CONTAINS_TOKEN" | "HAS_PROPERTY";
  value?: string;
  values?: string[];
}

/** A search of one object type: filters (one AND group), properties to return, paging. */
export interface SearchRequest {
  filters: SearchFilter[];
  properties: readonly string[];
  /** 1–200 (vendors.md). */
  limit: number;
  /** HubSpot's `after` from the previous page. */
  after?: string;
}

/** Searchable CRM object types. */
export type SearchableType = "companies" | "contacts" | "notes";

/**
 * `POST /crm/objects/{version}/{type}/search`: one page. No match is a page with no results, not
 * an error. A read: retried inside the call when HubSpot is briefly unavailable.
 *
 * @throws ToolError as the HubSpot client maps failures (RATE_LIMITED, UPSTREAM_REJECTED, …).
 */
export async function searchObjects(
  hubspot: HubSpot,
  type: SearchableType,
  search: SearchRequest,
  scope: CallScope,
): Promise<SearchPage> {
  const body = {
    filterGroups: search.filters.length > 0 ? [{ filters: search.filters }] : [],
    properties: [...search.properties],
    limit: search.limit,
    ...(search.after !== undefined ? { after: search.after } : {}),
  };
  const response = await hubspot.request(
    {
      method: "POST",
      path: hubspot.paths.search(type),
      body,
      operation: `${type}.search`,
      safeToRepeat: true,
      schema: searchPageSchema,
    },
    scope,
  );
  return response.body;
}
