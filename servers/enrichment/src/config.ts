import { defineVar, secretVar, vendorUrlVar, wholeNumberText } from "@gtm-mcp/tool-kit/config";
import { z } from "zod";

/** People Data Labs' public API. */
export const PDL_API_URL = "https://api.peopledatalabs.com";
/** The sandbox's PDL emulator (the sandbox package serves it here). */
export const PDL_SANDBOX_URL = "http://127.0.0.1:4020";

const hours = (max: number) => wholeNumberText(max).pipe(z.number().min(1, { error: "expected at least 1" }));

/** The enrichment server's own variables (besides the common GTM_* ones). */
export const enrichmentVars = {
  PDL_API_KEY: secretVar({
    description: "People Data Labs API key (sent as X-Api-Key); the sandbox emulator accepts any value",
    requiredIn: ["sandbox", "staging", "production"],
  }),
  PDL_BASE_URL: vendorUrlVar({
    description: "People Data Labs API base URL",
    sandboxDefault: PDL_SANDBOX_URL,
    realDefault: PDL_API_URL,
  }),
  ENRICHMENT_MIN_LIKELIHOOD: defineVar<number>({
    description: "Least PDL match likelihood (0-10) accepted as a match; sent as min_likelihood",
    schema: wholeNumberText(10),
    default: "2",
  }),
  ENRICHMENT_CACHE_TTL_HOURS: defineVar<number>({
    description: "How long a found company is served from the cache, in hours",
    schema: hours(24 * 365),
    default: "168",
  }),
  ENRICHMENT_NOT_FOUND_TTL_HOURS: defineVar<number>({
    description: "How long a company PDL did not find is remembered (no new lookup), in hours",
    schema: hours(24 * 365),
    default: "24",
  }),
  ENRICHMENT_MAX_CALLS_PER_RUN: defineVar<number>({
    description:
      "Most PDL lookups (credits) one run (GTM_RUN_ID) may spend, across processes sharing the store; cache hits are free",
    schema: wholeNumberText(10_000_000),
    default: "500",
  }),
};

/** The settings the tools read, from the variables above. */
export interface EnrichmentSettings {
  minLikelihood: number;
  hitTtlMs: number;
  notFoundTtlMs: number;
  maxCallsPerRun: number;
}

/** The name of the credit cap in the store and in `CAP_EXCEEDED` details. */
export const CREDITS_CAP = "pdl_calls";
