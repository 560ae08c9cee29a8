import { packageVersion } from "@gtm-mcp/tool-kit/config";
import { createToolServer, type ToolRuntime } from "@gtm-mcp/tool-kit/tools";
import type { Server } from "@modelcontextprotocol/server";
import { type CompanyFieldName, DEFAULT_UPDATABLE } from "./model/company-fields.js";
import { crmTools } from "./tools/index.js";
import type { HubSpot } from "./upstream/client.js";

export type { Account } from "./model/account.js";
export { COMPANY_FIELD_NAMES, type CompanyFieldName, DEFAULT_UPDATABLE } from "./model/company-fields.js";
export type { Contact } from "./model/contact.js";
export {
  DEFAULT_HUBSPOT_API_VERSION,
  HUBSPOT_API_VERSIONS,
  type HubSpotApiVersion,
  hubspotPaths,
} from "./upstream/api-version.js";
export { createHubSpotClient, type HubSpot, type HubSpotClientOptions } from "./upstream/client.js";
export { mapHubSpotError } from "./upstream/map-error.js";

/** The package's version, read from its package.json (never written twice). */
export const VERSION = packageVersion(import.meta.url);

/** What the CRM server needs. */
export interface CrmDeps {
  /** A client from {@link createHubSpotClient}. */
  hubspot: HubSpot;
  runtime: ToolRuntime;
  /** Company fields `update_account_fields` may set (default: {@link DEFAULT_UPDATABLE}). */
  updatableFields?: readonly CompanyFieldName[];
  /** Epoch ms now; tests fix it. */
  now?: () => number;
}

const INSTRUCTIONS =
  "Tools over one HubSpot CRM portal. Accounts are HubSpot companies. Find accounts with search_accounts or get_account " +
  "(a domain shared by several companies comes back ambiguous: choose by id), contacts with get_contact, recent notes with " +
  "list_account_activity. Writes (upsert_lead, log_activity_note, update_account_fields) exist only when enabled; each acts " +
  "once per idempotency key and a repeat returns the first result with replayed: true. Failures are JSON error envelopes " +
  "with a code, retryable and, for bad input, the field.";

/** Builds the CRM MCP server. No I/O. */
export function createServer(deps: CrmDeps): Server {
  return createToolServer({
    name: "gtm-mcp-crm",
    version: VERSION,
    instructions: INSTRUCTIONS,
    tools: crmTools({
      hubspot: deps.hubspot,
      updatableFields: deps.updatableFields ?? DEFAULT_UPDATABLE,
      now: deps.now ?? Date.now,
    }),
    runtime: deps.runtime,
  });
}
