import type { AnyTool } from "@gtm-mcp/tool-kit/tools";
import type { EnrichmentToolDeps } from "./deps.js";
import { getAccountSignalsTool } from "./get-account-signals.js";
import { getAccountsSignalsTool } from "./get-accounts-signals.js";

export type { EnrichmentToolDeps } from "./deps.js";

/** Every tool of the enrichment server: two reads. */
export function enrichmentTools(deps: EnrichmentToolDeps): AnyTool[] {
  return [getAccountSignalsTool(deps), getAccountsSignalsTool(deps)] as AnyTool[];
}
