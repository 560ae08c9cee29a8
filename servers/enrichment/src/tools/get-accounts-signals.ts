import { bounded, ToolError, toErrorEnvelope } from "@gtm-mcp/tool-kit/errors";
import { MAX_DOMAIN_TEXT } from "@gtm-mcp/tool-kit/inputs";
import { defineTool, mapBounded } from "@gtm-mcp/tool-kit/tools";
import { z } from "zod";
import { companyDomain } from "../model/company-domain.js";
import { type AccountSignals, accountSignalsSchema } from "../model/signals.js";
import type { EnrichmentToolDeps } from "./deps.js";
import { lookupSignals } from "./lookup-signals.js";

/** Most domains per call. */
export const MAX_BATCH = 25;
/**
 * The most characters of an input echoed back in `input` (a hostname's longest): 25 inputs of
 * 2,048 characters must not come back whole; `domain` says what was looked up.
 */
export const INPUT_ECHO_MAX = 253;
/** Lookups in flight at once: enough to hide PDL's latency, few enough to stay under its per-minute limit. */
const CONCURRENCY = 5;

const errorSchema = z
  .object({
    code: z.string(),
    message: z.string(),
    retryable: z.boolean(),
    retryAfterMs: z.number().optional(),
    field: z.string().optional(),
    upstream: z
      .object({ system: z.string(), status: z.number().optional(), requestId: z.string().optional() })
      .optional(),
    details: z.record(z.string(), z.unknown()).optional(),
  })
  .describe("Why this domain has no signals: the same error envelope get_account_signals would return");

const resultSchema = z.object({
  input: z
    .string()
    .describe(`The domain as given (at most ${INPUT_ECHO_MAX} characters, then …(<full length> chars))`),
  domain: z.string().nullable().describe("The registrable domain looked up; null when the input was not one"),
  signals: accountSignalsSchema.nullable().describe("The signals; null when error is set"),
  error: errorSchema.nullable().describe("The failure of this domain; null when signals is set"),
});

type DomainResult = z.infer<typeof resultSchema>;

/**
 * `get_accounts_signals`: the `get_account_signals` path for up to 25 domains, at most 5 at
 * a time. Every input gets a result in input order, signals or its own error envelope; one
 * bad domain never fails the batch; inputs that normalise to one domain are looked up once.
 * The call itself fails only for a malformed list (INVALID_INPUT on `domains`).
 */
export function getAccountsSignalsTool(deps: EnrichmentToolDeps) {
  return defineTool({
    name: "get_accounts_signals",
    title: "Get signals of several accounts",
    description:
      `Firmographic signals of up to ${MAX_BATCH} companies by domain, from People Data Labs through the shared cache: ` +
      "the same as get_account_signals for each, in one call. Each input gets a result in order, with signals or that " +
      "domain's error (NOT_FOUND, INVALID_INPUT, CAP_EXCEEDED, UPSTREAM_UNAVAILABLE, …); one failure never fails the " +
      "batch. Duplicates (also acme.com vs https://www.acme.com) are looked up once.",
    kind: "read",
    input: z.object({
      domains: z
        .array(z.string().max(MAX_DOMAIN_TEXT).describe("A web domain or URL"))
        .min(1)
        .max(MAX_BATCH)
        .describe(`1–${MAX_BATCH} company domains or URLs, e.g. ["acme.com", "globex.io"]`),
    }),
    output: z.object({
      results: z.array(resultSchema).describe("One result per input, in input order"),
      found: z.number().int().describe("Inputs with signals"),
      failed: z.number().int().describe("Inputs with an error"),
    }),
    deadlineMs: 25_000,
    async handler(args, ctx) {
      const normalised = args.domains.map((input) => companyDomain(input));
      const distinct = [...new Set(normalised.flatMap((n) => (n.ok ? [n.domain] : [])))];
      const looked = await mapBounded(distinct, CONCURRENCY, async (domain) => {
        try {
          return { domain, signals: await lookupSignals(deps, domain, ctx) };
        } catch (error) {
          const envelope = envelopeOf(error, deps.scrub);
          // The pipeline logs an unexpected failure of a whole call; inside a batch it is logged here.
          if (envelope.code === "INTERNAL")
            ctx.logger.error({ err: error, domain }, "lookup failed unexpectedly");
          return { domain, error: envelope };
        }
      });
      const byDomain = new Map(looked.map((r) => [r.domain, r]));
      const results: DomainResult[] = args.domains.map((given, i) => {
        const n = normalised[i]!;
        const input = bounded(given, INPUT_ECHO_MAX);
        if (!n.ok) {
          const invalid = new ToolError("INVALID_INPUT", `domains[${i}]: ${n.message}`, {
            field: `domains[${i}]`,
          });
          return { input, domain: null, signals: null, error: envelopeOf(invalid, deps.scrub) };
        }
        const r = byDomain.get(n.domain)!;
        return "signals" in r
          ? { input, domain: n.domain, signals: r.signals as AccountSignals, error: null }
          : { input, domain: n.domain, signals: null, error: r.error! };
      });
      const found = results.filter((r) => r.signals !== null).length;
      return { results, found, failed: results.length - found };
    },
  });
}

/** The envelope's error part, with only the fields the output declares. */
function envelopeOf(thrown: unknown, scrub: (text: string) => string): z.infer<typeof errorSchema> {
  const { error } = toErrorEnvelope(thrown, { scrub });
  return {
    code: error.code,
    message: error.message,
    retryable: error.retryable,
    ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}),
    ...(error.field !== undefined ? { field: error.field } : {}),
    ...(error.upstream !== undefined ? { upstream: error.upstream } : {}),
    ...(error.details !== undefined ? { details: error.details } : {}),
  };
}
