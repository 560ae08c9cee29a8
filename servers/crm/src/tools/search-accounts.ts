import { isToolError, ToolError } from "@gtm-mcp/tool-kit/errors";
import { defineTool } from "@gtm-mcp/tool-kit/tools";
import { z } from "zod";
import { accountSchema, toAccount } from "../model/account.js";
import { LIFECYCLE_STAGES } from "../model/hubspot-options.js";
import { cursorInput, dateTimeInput, domainInput, limitInput, recordId } from "../model/inputs.js";
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
      "Words of the company name, e.g. acme corp: each must appear as a word (first 5 used; * is a wildcard)",
    ),
  domain: domainInput("Primary web domain, e.g. acme.com (a URL is reduced to its domain)").optional(),
  owner_id: recordId("owner").optional().describe("HubSpot owner id"),
  lifecycle_stage: z.enum(LIFECYCLE_STAGES).optional().describe("Lifecycle stage"),
  updated_since: dateTimeInput(
    "Only accounts whose updated_at is at or after this date-time or date, e.g. 2026-01-31T00:00:00Z or 2026-01-31",
    { allowDate: true },
  ).optional(),
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
      "Searches accounts (HubSpot companies) by name words, domain, owner_id, lifecycle_stage and updated_since; all given filters must match. " +
      "Returns a page of accounts, the total match count and next_cursor (null on the last page). " +
      "No match is an empty list, not an error. Paging stops at 10,000 results: narrow the filters instead.",
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
