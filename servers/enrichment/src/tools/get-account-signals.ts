import { defineTool } from "@gtm-mcp/tool-kit/tools";
import { z } from "zod";
import { companyDomainInput } from "../model/company-domain.js";
import { accountSignalsSchema } from "../model/signals.js";
import type { EnrichmentToolDeps } from "./deps.js";
import { lookupSignals } from "./lookup-signals.js";

/**
 * `get_account_signals`: firmographic signals of one company by its domain, from People
 * Data Labs through the shared cache. Errors: INVALID_INPUT (`domain` not a registrable
 * domain), NOT_FOUND (no match: distinct from an outage), CAP_EXCEEDED, QUOTA_EXHAUSTED,
 * RATE_LIMITED, UPSTREAM_UNAVAILABLE, UPSTREAM_TIMEOUT, STORE_UNAVAILABLE, IN_PROGRESS,
 * PERMISSION_DENIED, UPSTREAM_REJECTED, UPSTREAM_CONTRACT_VIOLATION.
 */
export function getAccountSignalsTool(deps: EnrichmentToolDeps) {
  return defineTool({
    name: "get_account_signals",
    title: "Get account signals",
    description:
      "Firmographic signals of one company (industry, size, founding year, headquarters, LinkedIn, tags, summary) from " +
      "People Data Labs, by its web domain (a URL is fine: https://www.acme.com/x is looked up as acme.com). Fields PDL " +
      "lacks are null; confidence is the match likelihood (0..1). Cached results cost nothing (cached: true). NOT_FOUND " +
      "means PDL has no such company (not an outage). CAP_EXCEEDED means the run's lookup budget is spent; " +
      "UPSTREAM_UNAVAILABLE, RATE_LIMITED and STORE_UNAVAILABLE are retryable: go on with CRM data alone meanwhile. " +
      "UPSTREAM_TIMEOUT means PDL's answer was lost and a credit may have been spent: a retry may spend another. " +
      "For several domains use get_accounts_signals.",
    kind: "read",
    input: z.object({
      domain: companyDomainInput("The company's web domain or URL, e.g. acme.com"),
    }),
    output: accountSignalsSchema,
    // A 429 wait (up to 5 s) plus a retry must fit.
    deadlineMs: 12_000,
    handler: (args, ctx) => lookupSignals(deps, args.domain, ctx),
  });
}
