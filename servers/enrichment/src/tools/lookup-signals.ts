import { ToolError } from "@gtm-mcp/tool-kit/errors";
import { readThrough } from "@gtm-mcp/tool-kit/idempotency";
import { noteCacheLookup, type ToolContext } from "@gtm-mcp/tool-kit/tools";
import { CREDITS_CAP } from "../config.js";
import { type AccountSignals, type CompanySignals, toSignals } from "../model/signals.js";
import { enrichCompany, mayHaveBeenCharged } from "../upstream/company-enrich.js";
import type { EnrichmentToolDeps } from "./deps.js";

/** Bumped when the cached shape changes, so an old entry is never read as a new one (v3: texts scrubbed, then bounded; tags_total). */
const CACHE_VERSION = "v3";

/**
 * The one path every lookup takes: the cache first (a hit or a remembered not-found costs
 * nothing), else one PDL call for all concurrent callers of the domain (single flight across
 * processes sharing the store), spending one unit of the run's credit cap, given back when
 * PDL certainly charged nothing (see {@link spentNothing}).
 *
 * Throws NOT_FOUND (field `domain`) when PDL has no match, CAP_EXCEEDED, STORE_UNAVAILABLE
 * (the cap cannot be checked: nothing is sent), QUOTA_EXHAUSTED, RATE_LIMITED,
 * UPSTREAM_UNAVAILABLE, UPSTREAM_TIMEOUT, PERMISSION_DENIED, UPSTREAM_REJECTED,
 * UPSTREAM_CONTRACT_VIOLATION, IN_PROGRESS.
 */
export async function lookupSignals(
  deps: EnrichmentToolDeps,
  domain: string,
  ctx: ToolContext,
): Promise<AccountSignals> {
  const { settings } = deps;
  const lookup = readThrough<CompanySignals | null>({
    store: deps.store,
    // min_likelihood changes what counts as a match, so it is part of the key.
    key: `company:${CACHE_VERSION}:${settings.minLikelihood}:${domain}`,
    ttl: { hitMs: settings.hitTtlMs, missMs: settings.notFoundTtlMs },
    cap: { name: CREDITS_CAP, runId: deps.runId, limit: settings.maxCallsPerRun },
    refundOnError: spentNothing,
    deadline: ctx.deadline,
    signal: ctx.signal,
    logger: ctx.logger,
    async fill() {
      const company = await enrichCompany(
        deps.pdl,
        { website: domain, minLikelihood: settings.minLikelihood },
        ctx.scope,
        ctx.logger,
      );
      return company === null
        ? { kind: "miss", value: null }
        : { kind: "hit", value: toSignals(company, ctx.scrub) };
    },
  });
  // Anything but an answer from the cache is a miss, a failed fill or a full cap included.
  const found = await lookup.catch((error: unknown) => {
    noteCacheLookup(ctx.stats, "miss");
    throw error;
  });
  noteCacheLookup(ctx.stats, found.cached ? "hit" : "miss");
  if (found.kind === "miss" || found.value === null) {
    throw new ToolError("NOT_FOUND", `People Data Labs has no company for ${domain}`, {
      field: "domain",
      details: { domain, cached: found.cached },
    });
  }
  // Vendor text can echo anything, a configured secret included: scrubbed like every result.
  return {
    domain,
    ...deps.scrubValue(found.value),
    source: "peopledatalabs",
    fetched_at: new Date(found.storedAt).toISOString(),
    cached: found.cached,
  };
}

/**
 * Whether a failed lookup certainly cost no credit, so its cap unit is given back: PDL
 * refused it (429, 402, 401/403, 400) or failed itself (500, 503: an answer without a match),
 * or it never reached PDL (connection refused, circuit open). A request that may have been
 * charged keeps its unit (see {@link mayHaveBeenCharged}: sent with no answer, the deadline,
 * a gateway's 502/504): PDL may have matched after we stopped listening, and counting it
 * keeps the cap on the safe side.
 */
export function spentNothing(error: ToolError): boolean {
  if (mayHaveBeenCharged(error)) return false;
  const status = error.upstream?.status;
  if (status === undefined) return error.code === "UPSTREAM_UNAVAILABLE";
  return (
    status === 400 || status === 401 || status === 402 || status === 403 || status === 429 || status >= 500
  );
}
