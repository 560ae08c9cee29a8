import type { AnyTool } from "@gtm-mcp/tool-kit/tools";
import type { CrmToolDeps } from "./deps.js";
import { getAccountTool } from "./get-account.js";
import { getContactTool } from "./get-contact.js";
import { listAccountActivityTool } from "./list-account-activity.js";
import { logActivityNoteTool } from "./log-activity-note.js";
import { searchAccountsTool } from "./search-accounts.js";
import { updateAccountFieldsTool } from "./update-account-fields.js";
import { upsertLeadTool } from "./upsert-lead.js";

export type { CrmToolDeps } from "./deps.js";

/** Every tool of the CRM server: four reads, then three writes (listed only when writes are enabled). */
export function crmTools(deps: CrmToolDeps): AnyTool[] {
  return [
    searchAccountsTool(deps),
    getAccountTool(deps),
    getContactTool(deps),
    listAccountActivityTool(deps),
    upsertLeadTool(deps),
    logActivityNoteTool(deps),
    updateAccountFieldsTool(deps),
  ] as AnyTool[];
}
