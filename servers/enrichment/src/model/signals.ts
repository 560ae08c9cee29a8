import { z } from "zod";
import type { PdlCompany } from "../upstream/company-enrich.js";

const SUMMARY_MAX = 1_000;
const TAGS_MAX = 25;

/** The signals of one company, as cached (without the per-call fields). */
export const companySignalsSchema = z.object({
  name: z.string().nullable().describe("Company name; null when PDL has none"),
  industry: z.string().nullable().describe("Industry, PDL's taxonomy (e.g. computer software)"),
  employee_count: z.number().int().nullable().describe("Employees PDL counts"),
  size_range: z.string().nullable().describe("Employee range, e.g. 51-200"),
  founded_year: z.number().int().nullable().describe("Year founded"),
  headquarters: z
    .object({
      city: z.string().nullable(),
      region: z.string().nullable(),
      country: z.string().nullable(),
    })
    .nullable()
    .describe("Headquarters location; null when PDL has no location"),
  linkedin_url: z.string().nullable().describe("LinkedIn company page"),
  tags: z.array(z.string()).nullable().describe("PDL's tags for the company"),
  summary: z.string().nullable().describe(`Short description (at most ${SUMMARY_MAX} characters)`),
  confidence: z.number().min(0).max(1).describe("PDL's match likelihood ÷ 10 (0..1): how sure the match is"),
});

/** Cached signals of one company. */
export type CompanySignals = z.infer<typeof companySignalsSchema>;

/** The output of a lookup: the signals plus which domain, where from, when and whether cached. */
export const accountSignalsSchema = companySignalsSchema.extend({
  domain: z.string().describe("The registrable domain looked up (normalised from the input)"),
  source: z.literal("peopledatalabs").describe("Where the signals come from"),
  fetched_at: z.string().describe("When PDL was asked (ISO 8601); older than now when cached"),
  cached: z.boolean().describe("True when served from the cache (no credit spent)"),
});

/** One domain's signals as a tool returns them. */
export type AccountSignals = z.infer<typeof accountSignalsSchema>;

/**
 * PDL's company, read into signals: every field PDL left out is null, nothing is guessed.
 * `scrub` (the server's scrubber, `ctx.scrub`) runs on vendor text BEFORE it is clipped: a
 * clip that cut a secret in two would leave a prefix no later scrubbing recognises.
 */
export function toSignals(company: PdlCompany, scrub: (text: string) => string): CompanySignals {
  const location = company.location;
  const headquarters =
    location && (location.locality || location.region || location.country)
      ? {
          city: location.locality ?? null,
          region: location.region ?? null,
          country: location.country ?? null,
        }
      : null;
  return {
    name: company.display_name ?? company.name ?? null,
    industry: company.industry ?? null,
    employee_count: integerOrNull(company.employee_count),
    size_range: company.size ?? null,
    founded_year: integerOrNull(company.founded),
    headquarters,
    linkedin_url: linkedinUrl(company.linkedin_url),
    tags: company.tags ? company.tags.slice(0, TAGS_MAX) : null,
    summary: company.summary ? clip(scrub(company.summary), SUMMARY_MAX) : null,
    confidence: Math.min(10, Math.max(0, company.likelihood)) / 10,
  };
}

/** PDL writes profile URLs without a scheme (`linkedin.com/company/acme`). */
function linkedinUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  return /^https?:\/\//i.test(url) ? url : `https://${url}`;
}

function integerOrNull(value: number | null | undefined): number | null {
  return typeof value === "number" && Number.isFinite(value) ? Math.trunc(value) : null;
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
