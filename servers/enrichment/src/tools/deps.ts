import type { IdempotencyStore } from "@gtm-mcp/tool-kit/idempotency";
import type { EnrichmentSettings } from "../config.js";
import type { Pdl } from "../upstream/client.js";

/** What the enrichment tools need. */
export interface EnrichmentToolDeps {
  pdl: Pdl;
  /** The shared store: the cache and the credit cap live there (opened whatever GTM_ENABLE_WRITES says). */
  store: IdempotencyStore;
  /** The run the credit cap counts against (`GTM_RUN_ID`). */
  runId: string;
  settings: EnrichmentSettings;
  /** Removes secret values from texts (error envelopes of a batch). */
  scrub: (text: string) => string;
  /** Removes secret values from every string inside a value (vendor data echoed in results). */
  scrubValue: <T>(value: T) => T;
}
