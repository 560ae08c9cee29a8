import { isToolError, ToolError } from "@gtm-mcp/tool-kit/errors";
import { defineTool } from "@gtm-mcp/tool-kit/tools";
import { z } from "zod";
import { accountSchema, toAccount } from "../model/account.js";
import { LIFECYCLE_STAGES } from "../model/hubspot-options.js";
import { cursorInput, domainInput, limitInput, recordId } from "../model/inputs.js";
import { ACCOUNT_PROPERTIES } from "../upstream/companies.js";
import { type SearchFilter, searchObjects } from "../upstream/search.js";
import type { CrmToolDeps } from "./deps.js";

/** HubSpot search never pages past this many results (vendors.md: a 400, named in the message). */
const SEARCH_RESULT_LIMIT = 10_000;

const input = z.object({
  name: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .optional()
    .describe(
      "Words of the company name, e.g. acme or acme corp: every word must appear (HubSpot CONTAINS_TOKEN on name, one filter per word, at most 5 words; * is a wildcard)",
    ),
  domain: domainInput.optional().describe("Exact primary domain (EQ on domain), e.g. acme.com"),
  owner_id: recordId("owner").optional().describe("HubSpot owner id (EQ on hubspot_owner_id)"),
  lifecycle_stage: z.enum(LIFECYCLE_STAGES).optional().describe("Lifecycle stage (EQ on lifecyclestage)"),
  updated_since: z
    .union([z.iso.datetime({ offset: true }), z.iso.date()])
    .optional()
    .describe(
      "Only companies modified at or after this ISO 8601 date-time or date, e.g. 2026-01-31T00:00:00Z",
    ),
  limit: limitInput(100, 25),
  cursor: cursorInput,
});

/**
 * `search_accounts`: HubSpot companies matching every given filter, one page at a time.
 * An empty page is a success. Errors: INVALID_INPUT (a cursor past HubSpot's 10,000-result
 * window), RATE_LIMITED, QUOTA_EXHAUSTED, PERMISSION_DENIED, UPSTREAM_UNAVAILABLE,
 * UPSTREAM_TIMEOUT, UPSTREAM_REJECTED, UPSTREAM_CONTRACT_VIOLATION.
 */
export function searchAccountsTool(deps: CrmToolDeps) {
  return defineTool({
    name: "search_accounts",
    title: "Search accounts",
    description:
      "Searches HubSpot companies by name token, domain, owner, lifecycle stage and last-modified time (all given filters must match). " +
      `Returns a fixed property set (${ACCOUNT_PROPERTIES.join(", ")}), the total match count and next_cursor for the next page (null on the last). ` +
      "No match is an empty list, not an error. HubSpot cannot page past 10,000 results: narrow the filters instead.",
    kind: "read",
    input,
    output: z.object({
      accounts: z.array(accountSchema).describe("This page of matching accounts"),
      total: z.number().int().describe("How many companies match in all"),
      next_cursor: z.string().nullable().describe("Pass as cursor for the next page; null on the last page"),
    }),
    async handler(args, ctx) {
      const filters: SearchFilter[] = [];
      // CONTAINS_TOKEN matches one token: a multi-word name is one filter per word (ANDed).
      for (const word of args.name?.split(/\s+/).filter(Boolean).slice(0, 5) ?? []) {
        filters.push({ propertyName: "name", operator: "CONTAINS_TOKEN", value: word });
      }
      if (args.domain !== undefined)
        filters.push({ propertyName: "domain", operator: "EQ", value: args.domain });
      if (args.owner_id !== undefined)
        filters.push({ propertyName: "hubspot_owner_id", operator: "EQ", value: args.owner_id });
      if (args.lifecycle_stage !== undefined) {
        filters.push({ propertyName: "lifecyclestage", operator: "EQ", value: args.lifecycle_stage });
      }
      if (args.updated_since !== undefined) {
        const since = Date.parse(args.updated_since);
        filters.push({ propertyName: "hs_lastmodifieddate", operator: "GTE", value: String(since) });
      }
      try {
        const page = await searchObjects(
          deps.hubspot,
          "companies",
          {
            filters,
            properties: ACCOUNT_PROPERTIES,
            limit: args.limit,
            ...(args.cursor !== undefined ? { after: args.cursor } : {}),
          },
          ctx.scope,
        );
        return {
          accounts: page.results.map(toAccount),
          total: page.total ?? page.results.length,
          next_cursor: page.paging,
        };
      } catch (error) {
        if (args.cursor !== undefined && isPagingRejection(error)) throw pastTheWindow(error);
        throw error;
      }
    },
  });
}

function pastTheWindow(rejection: ToolError): ToolError {
  return new ToolError(
    "INVALID_INPUT",
    `HubSpot search cannot page past ${SEARCH_RESULT_LIMIT.toLocaleString("en-US")} results; narrow the filters (e.g. updated_since) instead of paging further`,
    { field: "cursor", ...(rejection.upstream ? { upstream: rejection.upstream } : {}) },
  );
}

/**
 * Whether HubSpot's answer to a paged search is its 10,000-result limit. The cursor is an
 * opaque token (its value says nothing about the position), so only HubSpot's own message
 * can tell: a 400 that mentions the limit. Any other 400 stays UPSTREAM_REJECTED with
 * HubSpot's message, since the cause may lie elsewhere.
 */
function isPagingRejection(error: unknown): error is ToolError {
  return isToolError(error) && error.upstream?.status === 400 && /10,?000/.test(error.message);
}
