import { bounded } from "@gtm-mcp/tool-kit/errors";
import { z } from "zod";
import type { PdlCompany } from "../upstream/company-enrich.js";

/**
 * The result budget: the most characters each vendor field keeps, and the most tags. A
 * longer text is cut there and ends `…(<its length> chars)`; a longer tag list keeps its first
 * `tags` and states PDL's count in `tags_total`. With it one company's signals stay under
 * about 5,000 characters whatever PDL (or whoever wrote the company's record) sends: the
 * figures are asserted in `test/tools/result-bounds.test.ts`.
 */
export const SIGNALS_BUDGET = {
  name: 200,
  industry: 120,
  size_range: 40,
  place: 120,
  linkedin_url: 300,
  summary: 1_000,
  tag: 80,
  tags: 25,
} as const;

const clipped = (max: number) => `at most ${max} characters, then …(<full length> chars)`;

/** The signals of one company, as cached (without the per-call fields). */
export const companySignalsSchema = z.object({
  name: z
    .string()
    .nullable()
    .describe(`Company name (${clipped(SIGNALS_BUDGET.name)}); null when PDL has none`),
  industry: z
    .string()
    .nullable()
    .describe(`Industry, PDL's taxonomy (e.g. computer software; ${clipped(SIGNALS_BUDGET.industry)})`),
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
    .describe(`Headquarters location (each ${clipped(SIGNALS_BUDGET.place)}); null when PDL has no location`),
  linkedin_url: z.string().nullable().describe("LinkedIn company page"),
  tags: z
    .array(z.string())
    .nullable()
    .describe(
      `PDL's tags for the company: the first ${SIGNALS_BUDGET.tags}, each ${clipped(SIGNALS_BUDGET.tag)}`,
    ),
  tags_total: z
    .number()
    .int()
    .nullable()
    .describe("How many tags PDL has (more than tags holds when it was cut); null when PDL has none"),
  summary: z
    .string()
    .nullable()
    .describe(`Short description (${clipped(SIGNALS_BUDGET.summary)})`),
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
 * PDL's company, read into signals: every field PDL left out is null, nothing is guessed, and
 * every text is bounded by {@link SIGNALS_BUDGET}. `scrub` (the server's scrubber, `ctx.scrub`)
 * runs on vendor text BEFORE it is clipped: a clip that cut a secret in two would leave a
 * prefix no later scrubbing recognises.
 */
export function toSignals(company: PdlCompany, scrub: (text: string) => string): CompanySignals {
  const text = (value: string | null | undefined, max: number): string | null =>
    value ? bounded(plain(scrub(value)), max) : null;
  const location = company.location;
  const headquarters =
    location && (location.locality || location.region || location.country)
      ? {
          city: text(location.locality, SIGNALS_BUDGET.place),
          region: text(location.region, SIGNALS_BUDGET.place),
          country: text(location.country, SIGNALS_BUDGET.place),
        }
      : null;
  const tags = company.tags ?? null;
  return {
    name: text(company.display_name || company.name, SIGNALS_BUDGET.name),
    industry: text(company.industry, SIGNALS_BUDGET.industry),
    employee_count: integerOrNull(company.employee_count),
    size_range: text(company.size, SIGNALS_BUDGET.size_range),
    founded_year: integerOrNull(company.founded),
    headquarters,
    linkedin_url: text(linkedinUrl(company.linkedin_url), SIGNALS_BUDGET.linkedin_url),
    tags: tags ? tags.slice(0, SIGNALS_BUDGET.tags).map((tag) => text(tag, SIGNALS_BUDGET.tag) ?? "") : null,
    tags_total: tags ? tags.length : null,
    summary: text(company.summary, SIGNALS_BUDGET.summary),
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

/**
 * Vendor text as a model should read it: control characters other than a line break or a tab
 * become spaces, and a lone surrogate U+FFFD (each would otherwise cost six bytes of JSON
 * escape, and a lone surrogate is not text).
 */
function plain(text: string): string {
  return text
    .replace(/[\p{Cc}]/gu, (c) => (c === "\n" || c === "\t" ? c : " "))
    .replace(/\p{Cs}/gu, "\uFFFD");
}
