import { bounded } from "@gtm-mcp/tool-kit/errors";
import { defineTool } from "@gtm-mcp/tool-kit/tools";
import { z } from "zod";
import { preview, viewDraft } from "../model/draft-view.js";
import { gmailIdInput } from "../model/inputs.js";
import { getDraft } from "../upstream/drafts.js";
import type { EmailToolDeps } from "./deps.js";

/** Longest subject shown; a longer one is clipped, with its length stated. */
export const SUBJECT_SHOWN = 300;
/** Most recipients listed; `to_count` says how many there are. */
export const RECIPIENTS_SHOWN = 50;

/**
 * `get_draft`: one draft's recipients, subject and the start of its body, each bounded
 * whatever a person or a stranger put in the draft (a 200 KB subject, 3,000 recipients): the
 * subject clipped with `…(N chars)`, at most 50 recipients with the count, the body's first
 * lines. Text is scrubbed of the server's secrets before it is clipped, so a clip never
 * leaves a secret's prefix. Errors: NOT_FOUND when the draft does not exist (sent, or deleted
 * by a person), the Gmail codes.
 */
export function getDraftTool(deps: EmailToolDeps) {
  return defineTool({
    name: "get_draft",
    title: "Get draft",
    description:
      "Reads one Gmail draft by id: recipients (the first 50, with to_count), subject (long ones clipped, their length stated), the first lines of its body, and its thread. " +
      "NOT_FOUND means there is no such draft (it was sent or deleted).",
    kind: "read",
    input: z.object({ draft_id: gmailIdInput.describe("Gmail draft id (from create_outreach_draft)") }),
    output: z.object({
      draft_id: z.string(),
      message_id: z.string().describe("Gmail id of the draft's message"),
      thread_id: z.string().nullable(),
      to: z
        .array(z.string())
        .describe(`The recipients (To, Cc, Bcc), normalised: the first ${RECIPIENTS_SHOWN}`),
      to_count: z.number().int().describe("How many recipients the draft has"),
      subject: z
        .string()
        .describe(`The subject; past ${SUBJECT_SHOWN} characters clipped, ending …(<length> chars)`),
      body_preview: z.string().describe("The first lines of the plain-text body"),
      body_chars: z.number().int().describe("Length of the whole plain-text body, in characters"),
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
        to: view.recipients.slice(0, RECIPIENTS_SHOWN),
        to_count: view.recipients.length,
        subject: bounded(ctx.scrub(view.subject), SUBJECT_SHOWN),
        // Scrubbed before it is clipped: a clip through a secret would leave its prefix.
        body_preview: preview(ctx.scrub(view.text || view.snippet)),
        body_chars: view.text.length,
        created_by_server: view.messageIdHeader?.startsWith("<gtm.") ?? false,
      };
    },
  });
}
