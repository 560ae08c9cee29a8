import type { Logger } from "@gtm-mcp/tool-kit/logging";
import type { CallScope } from "@gtm-mcp/tool-kit/upstream";
import { z } from "zod";
import type { Pdl } from "./client.js";

// Every field PDL may leave out or send as null (vendors.md: missing data is null).
const text = z.string().nullish();
const whole = z.number().nullish();

/**
 * The part of a `GET /v5/company/enrich` 200 body this server reads (peopledatalabs-v5.json
 * `Company`, plus `status` and `likelihood`). Other fields are dropped unread. A body whose
 * fields have another type (a string `employee_count`) is UPSTREAM_CONTRACT_VIOLATION.
 */
export const companySchema = z.object({
  status: z.number().optional(),
  likelihood: z.number().min(0).max(10),
  name: text,
  display_name: text,
  industry: text,
  size: text,
  employee_count: whole,
  founded: whole,
  location: z.object({ name: text, locality: text, region: text, country: text, continent: text }).nullish(),
  linkedin_url: text,
  website: text,
  summary: text,
  tags: z.array(z.string()).nullish(),
});

/** A matched PDL company, as far as this server reads it. */
export type PdlCompany = z.infer<typeof companySchema>;

/**
 * Looks a company up by its website. Resolves with the match, or null when PDL has none
 * (404 not_found, not charged). Every other failure throws the mapped ToolError.
 */
export async function enrichCompany(
  pdl: Pdl,
  query: { website: string; minLikelihood: number },
  scope: CallScope,
  logger: Logger,
): Promise<PdlCompany | null> {
  try {
    const response = await pdl.request(
      {
        method: "GET",
        path: "/v5/company/enrich",
        query: { website: query.website, min_likelihood: query.minLikelihood },
        operation: "company.enrich",
        safeToRepeat: true,
        schema: companySchema,
      },
      scope,
    );
    // Credits are the budget: keep what PDL says was spent and what is left beside the call log.
    const spent = response.headers["x-call-credits-spent"];
    const left = response.headers["x-totallimit-remaining"];
    if (spent !== undefined || left !== undefined) {
      logger.debug({ creditsSpent: spent, creditsRemaining: left }, "peopledatalabs credits");
    }
    return response.body;
  } catch (error) {
    if ((error as { code?: string }).code === "NOT_FOUND") return null;
    throw error;
  }
}
