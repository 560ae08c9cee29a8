import { defineTool } from "@gtm-mcp/tool-kit/tools";
import { z } from "zod";
import { preview, viewDraft } from "../model/draft-view.js";
import { gmailIdInput } from "../model/inputs.js";
import { getDraft } from "../upstream/drafts.js";
import type { EmailToolDeps } from "./deps.js";

/**
 * `get_draft`: one draft's recipients, subject and the start of its body. Errors: NOT_FOUND
 * when the draft does not exist (sent, or deleted by a person), the Gmail codes.
 */
export function getDraftTool(deps: EmailToolDeps) {
  return defineTool({
    name: "get_draft",
    title: "Get draft",
    description:
      "Reads one Gmail draft by id: recipients, subject, the first lines of its body, and its thread. " +
      "NOT_FOUND means there is no such draft (it was sent or deleted).",
    kind: "read",
    input: z.object({ draft_id: gmailIdInput.describe("Gmail draft id (from create_outreach_draft)") }),
    output: z.object({
      draft_id: z.string(),
      message_id: z.string().describe("Gmail id of the draft's message"),
      thread_id: z.string().nullable(),
      to: z.array(z.string()).describe("Every recipient (To, Cc, Bcc), normalised"),
      subject: z.string(),
      body_preview: z.string().describe("The first lines of the plain-text body"),
      created_by_server: z
        .boolean()
        .describe("Whether this server created it (its Message-ID carries the server's marker)"),
    }),
    async handler({ draft_id }, ctx) {
      const view = viewDraft(await getDraft(deps.gmail, draft_id, ctx.scope));
      return {
        draft_id: view.draftId,
        message_id: view.messageId,
        thread_id: view.threadId,
        to: view.recipients,
        subject: view.subject,
        body_preview: preview(view.text || view.snippet),
        created_by_server: view.messageIdHeader?.startsWith("<gtm.") ?? false,
      };
    },
  });
}
