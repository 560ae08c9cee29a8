import { isToolError, ToolError } from "@gtm-mcp/tool-kit/errors";
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
 *
 * A lookup is paid (a match costs a credit), so it is not safe to repeat inside one call:
 * the request is sent again only when it provably never reached PDL (connection refused, a
 * DNS failure) or PDL refused it before doing anything (429); the tool-kit decides this from
 * `safeToRepeat: false`. A request that may have reached PDL and got no answer (a connection
 * lost after it was sent, the deadline) fails at once, retryable, with `sideEffect: "unknown"`
 * and a message saying a credit may have been spent: the caller's next call is bounded by the
 * cache (a match is cached) and the run's credit cap, not resent here unseen. A 5xx counts as
 * a lost answer too (see {@link withCreditOutcome}).
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
        safeToRepeat: false,
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
    throw isToolError(error) ? withCreditOutcome(error) : error;
  }
}

/**
 * The error with what it says about a credit. PDL charges a match; an error answer should cost
 * nothing, but a 5xx cannot prove the lookup was not matched and charged before the failure (a
 * gateway that lost PDL's answer, or PDL failing after it acted): like no answer at all after
 * the request was sent, it may have been charged. The message says so, so the caller knows
 * before it asks again, and the credit's cap unit is kept.
 */
export function withCreditOutcome(error: ToolError): ToolError {
  if (error.sideEffect !== "unknown") return error;
  if (!mayHaveBeenCharged(error)) return error.with({ sideEffect: "none" });
  const said = /[.!?]$/.test(error.message) ? error.message : `${error.message}.`;
  return new ToolError(error.code, `${said} ${CREDIT_MAY_BE_SPENT}`, {
    sideEffect: "unknown",
    ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}),
    ...(error.upstream !== undefined ? { upstream: error.upstream } : {}),
    ...(error.details !== undefined ? { details: error.details } : {}),
    cause: error.cause ?? error,
  });
}

/**
 * Whether PDL may have charged for a failed lookup: no answer came back after the request was
 * written (a lost connection, the deadline), or a 5xx came back in the answer's place.
 */
export function mayHaveBeenCharged(error: ToolError): boolean {
  const status = error.upstream?.status;
  if (status === undefined) return error.sideEffect === "unknown";
  return status >= 500;
}

/** Said of a lookup whose request may have reached PDL with no answer back. */
export const CREDIT_MAY_BE_SPENT =
  "People Data Labs may have charged a credit for this lookup (the request was sent, no answer came back); " +
  "it was not resent. Retrying is safe but may spend another credit; the run's credit cap counts it.";
