import { runMain } from "@gtm-mcp/tool-kit/server";
import { CREDITS_CAP, enrichmentVars } from "./config.js";
import { createPdlClient, createServer, VERSION } from "./server.js";

const HOUR_MS = 3_600_000;

await runMain({
  name: "enrichment",
  binary: "gtm-mcp-enrichment",
  version: VERSION,
  description: "MCP server over People Data Labs company enrichment: cached, credit-capped account signals",
  vars: enrichmentVars,
  hasWriteTools: false,
  // The cache and the credit cap live in the store, whatever GTM_ENABLE_WRITES says.
  readsNeedStore: true,
  caps: (config) => ({ [CREDITS_CAP]: config.vars.ENRICHMENT_MAX_CALLS_PER_RUN ?? 500 }),
  async start({ config, runtime, logger }) {
    const { vars } = config;
    // Required in every environment, so loadConfig has already refused to start without it.
    const key = vars.PDL_API_KEY!;
    const pdl = createPdlClient({
      // Always set: vendorUrlVar defaults it in every environment (and refuses a non-loopback one in the sandbox).
      baseUrl: vars.PDL_BASE_URL!,
      credential: key.asCredential(),
      scrub: runtime.scrubber.text,
      logger,
    });
    const settings = {
      minLikelihood: vars.ENRICHMENT_MIN_LIKELIHOOD ?? 2,
      hitTtlMs: (vars.ENRICHMENT_CACHE_TTL_HOURS ?? 168) * HOUR_MS,
      notFoundTtlMs: (vars.ENRICHMENT_NOT_FOUND_TTL_HOURS ?? 24) * HOUR_MS,
      maxCallsPerRun: vars.ENRICHMENT_MAX_CALLS_PER_RUN ?? 500,
    };
    return {
      createServer: () => createServer({ pdl, runtime, settings }),
      close: () => pdl.close(),
    };
  },
});
