import { createToolServer, type ToolRuntime } from "@gtm-mcp/tool-kit/tools";
import type { Server } from "@modelcontextprotocol/server";
import type { EnrichmentSettings } from "./config.js";
import { enrichmentTools } from "./tools/index.js";
import type { Pdl } from "./upstream/client.js";

export { CREDITS_CAP, type EnrichmentSettings, enrichmentVars } from "./config.js";
export type { AccountSignals } from "./model/signals.js";
export { createPdlClient, type Pdl, type PdlClientOptions } from "./upstream/client.js";
export { mapPdlError } from "./upstream/map-error.js";

/** The enrichment server's package version. */
export const VERSION = "0.1.0";

/** What the enrichment server needs. */
export interface EnrichmentDeps {
  /** A client from {@link createPdlClient}. */
  pdl: Pdl;
  /** Must carry a store: the cache and the credit cap live there. */
  runtime: ToolRuntime;
  settings: EnrichmentSettings;
}

const INSTRUCTIONS =
  "Company signals (industry, size, founding year, headquarters, LinkedIn, tags) from People Data Labs by web domain. " +
  "Each lookup PDL answers costs a credit, so results are cached and shared: prefer get_accounts_signals for several " +
  "domains, and do not re-ask for a domain you already have. A run has a lookup budget (CAP_EXCEEDED when spent). " +
  "NOT_FOUND means PDL has no such company; UPSTREAM_UNAVAILABLE, RATE_LIMITED and STORE_UNAVAILABLE are retryable: " +
  "continue with CRM data alone meanwhile.";

/**
 * Builds the enrichment MCP server. No I/O. Throws when the runtime has no store (the
 * bootstrap opens one for this server whatever GTM_ENABLE_WRITES says).
 */
export function createServer(deps: EnrichmentDeps): Server {
  const { runtime } = deps;
  if (runtime.store === undefined)
    throw new Error("The enrichment server needs the store (cache and credit cap).");
  return createToolServer({
    name: "gtm-mcp-enrichment",
    version: VERSION,
    instructions: INSTRUCTIONS,
    tools: enrichmentTools({
      pdl: deps.pdl,
      store: runtime.store,
      runId: runtime.runId,
      settings: deps.settings,
      scrub: runtime.scrubber.text,
      scrubValue: (value) => runtime.scrubber.value(value) as typeof value,
    }),
    runtime,
  });
}
