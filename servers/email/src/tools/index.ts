import type { AnyTool } from "@gtm-mcp/tool-kit/tools";
import { createOutreachDraftTool } from "./create-outreach-draft.js";
import type { EmailToolDeps } from "./deps.js";
import { getDraftTool } from "./get-draft.js";
import { listRecentThreadsTool } from "./list-recent-threads.js";
import { sendDraftTool } from "./send-draft.js";

export type { EmailToolDeps } from "./deps.js";

/**
 * Every tool of the email server: two reads, the draft write, and `send_draft` only when
 * `EMAIL_SEND_MODE` is not `off` (writes are listed only when writes are enabled).
 */
export function emailTools(deps: EmailToolDeps): AnyTool[] {
  return [
    listRecentThreadsTool(deps),
    getDraftTool(deps),
    createOutreachDraftTool(deps),
    ...(deps.sendMode === "off" ? [] : [sendDraftTool(deps)]),
  ] as AnyTool[];
}
