import { ToolError } from "@gtm-mcp/tool-kit/errors";
import { defineTool } from "@gtm-mcp/tool-kit/tools";
import type { CallScope } from "@gtm-mcp/tool-kit/upstream";
import { z } from "zod";
import { type Account, accountSchema, toAccount } from "../model/account.js";
import { domainInput, recordId } from "../model/inputs.js";
import type { HubSpot } from "../upstream/client.js";
import { ACCOUNT_PROPERTIES, getCompany } from "../upstream/companies.js";
import { searchObjects } from "../upstream/search.js";
import type { CrmToolDeps } from "./deps.js";
import { rethrowNotFound } from "./not-found.js";

/** Pages of 100 read for one domain: domains are not unique in HubSpot, but 1,000 sharing one is not a real book. */
const MAX_DOMAIN_PAGES = 10;

/**
 * `get_account`: one account by `account_id` or by `domain` (exactly one of them). A domain
 * that several companies share returns them all, flagged `ambiguous`, rather than a guess.
 * Errors: INVALID_INPUT (both or neither given), NOT_FOUND, RATE_LIMITED, QUOTA_EXHAUSTED,
 * PERMISSION_DENIED, UPSTREAM_UNAVAILABLE, UPSTREAM_TIMEOUT, UPSTREAM_CONTRACT_VIOLATION.
 */
export function getAccountTool(deps: CrmToolDeps) {
  return defineTool({
    name: "get_account",
    title: "Get account",
    description:
      "Reads one account (HubSpot company) by account_id or by domain (give exactly one). NOT_FOUND when there is none. " +
      "Domains are not unique in HubSpot: when several companies share the domain, account is null, ambiguous is true and matches lists them; " +
      "pick one by id and call again with account_id.",
    kind: "read",
    input: z.object({
      account_id: recordId("company").optional().describe("HubSpot company id (digits); give this or domain"),
      domain: domainInput(
        "Primary web domain, e.g. acme.com (a URL is reduced to its domain); give this or account_id",
      ).optional(),
    }),
    output: z.object({
      account: accountSchema.nullable().describe("The account; null when several share the domain"),
      ambiguous: z.boolean().describe("True when several companies share the domain: see matches"),
      matches: z
        .array(matchSchema)
        .describe(
          "When several companies share the domain, each of them (else empty): call again with its id",
        ),
    }),
    async handler(args, ctx) {
      if (args.account_id !== undefined && args.domain !== undefined) {
        throw new ToolError("INVALID_INPUT", "Give account_id or domain, not both", { field: "domain" });
      }
      if (args.account_id !== undefined) {
        const id = args.account_id;
        const company = await getCompany(deps.hubspot, id, ctx.scope).catch((error: unknown) =>
          rethrowNotFound(error, `No HubSpot company with id ${id}`, "account_id"),
        );
        return { account: toAccount(company), ambiguous: false, matches: [] };
      }
      if (args.domain === undefined) {
        throw new ToolError("INVALID_INPUT", "Give account_id or domain", { field: "account_id" });
      }
      const matches = await companiesWithDomain(deps.hubspot, args.domain, ctx.scope);
      if (matches.length === 0) {
        throw new ToolError("NOT_FOUND", `No HubSpot company has the domain ${args.domain}`, {
          field: "domain",
        });
      }
      if (matches.length === 1) return { account: matches[0]!, ambiguous: false, matches: [] };
      return { account: null, ambiguous: true, matches: matches.map(toMatch) };
    },
  });
}

/** What tells companies sharing a domain apart; the whole account is one call away by id. */
const matchSchema = z.object({
  id: z.string().describe("HubSpot company id"),
  name: z.string().nullable().describe("Company name"),
  owner_id: z.string().nullable().describe("HubSpot owner id"),
  updated_at: z.string().nullable().describe("When the company last changed, ISO 8601"),
});

function toMatch(account: Account): z.output<typeof matchSchema> {
  return { id: account.id, name: account.name, owner_id: account.owner_id, updated_at: account.updated_at };
}

async function companiesWithDomain(hubspot: HubSpot, domain: string, scope: CallScope): Promise<Account[]> {
  const accounts: Account[] = [];
  let after: string | undefined;
  for (let page = 0; page < MAX_DOMAIN_PAGES; page++) {
    const result = await searchObjects(
      hubspot,
      "companies",
      {
        filters: [{ propertyName: "domain", operator: "EQ", value: domain }],
        properties: ACCOUNT_PROPERTIES,
        limit: 100,
        ...(after !== undefined ? { after } : {}),
      },
      scope,
    );
    accounts.push(...result.results.map(toAccount));
    if (result.paging === null || result.results.length === 0) break;
    after = result.paging;
  }
  return accounts;
}
