import { ToolError } from "@gtm-mcp/tool-kit/errors";
import { defineTool, type ToolContext } from "@gtm-mcp/tool-kit/tools";
import type { CallScope } from "@gtm-mcp/tool-kit/upstream";
import { z } from "zod";
import { domainOf } from "../model/address.js";
import { composeMessage, messageIdFor, toRaw } from "../model/compose-message.js";
import {
  addressInput,
  BODY_MAX,
  displayNameInput,
  domainInput,
  gmailIdInput,
  headerText,
  simpleHtml,
} from "../model/inputs.js";
import { accountDomainProblem, recipientProblem } from "../model/recipient-rules.js";
import { createDraft, findDraftsByMessageId } from "../upstream/drafts.js";
import { headerOf } from "../upstream/message-fields.js";
import { findMessagesByMessageId, getMessageMetadata, getThreadMetadata } from "../upstream/messages.js";
import type { EmailToolDeps } from "./deps.js";

const output = z.object({
  draft_id: z
    .string()
    .nullable()
    .describe(
      "Gmail draft id: pass it to get_draft, or to send_draft when sending is enabled; null when the draft was already sent (already_sent)",
    ),
  already_sent: z
    .boolean()
    .describe(
      "True when this outreach's draft was created earlier and has since been sent: there is no draft left and nothing new was created",
    ),
  message_id: z.string().describe("Gmail id of the draft's message (the sent message when already_sent)"),
  thread_id: z.string().nullable().describe("Gmail thread id (the replied-to thread for a reply)"),
  to: z.string().describe("The recipient, normalised"),
  subject: z.string(),
  message_id_header: z
    .string()
    .describe("The RFC 5322 Message-ID stamped on the draft (derived from the idempotency key)"),
  is_reply: z.boolean(),
});
type Output = z.infer<typeof output>;

/** Pauses before a second reconciliation search: a just-created draft may take a moment to be indexed. */
const SEARCH_SETTLE_MS = 1_000;

/**
 * `create_outreach_draft`: a draft in the sender's mailbox for a person to review; never
 * sends. Every check runs before anything is claimed or created: the account's domain is an
 * organisation's (not a public suffix or free-mail domain), the recipient is one plain
 * address within it (or a subdomain) meeting the recipient rules (`recipient-rules.ts`:
 * not suppressed, matched by the mailbox it reaches), and no field can inject a header. Acts once per (to, occurrence); a lost answer is found again by the
 * draft's Message-ID. Errors: INVALID_INPUT (field), NOT_FOUND (reply thread), the Gmail
 * codes, and the pipeline's (WRITES_DISABLED, CAP_EXCEEDED, IDEMPOTENCY_KEY_REUSED, …).
 */
export function createOutreachDraftTool(deps: EmailToolDeps) {
  const input = z
    .object({
      to: addressInput.describe(
        "The one recipient: a plain address (name@domain), in account_domain or a subdomain",
      ),
      to_name: displayNameInput(100)
        .optional()
        .describe("Optional display name of the recipient (plain text)"),
      account_domain: domainInput.describe(
        "The account's domain; the recipient must be in it (subdomains allowed)",
      ),
      subject: headerText(200).min(1).describe("Subject, at most 200 characters, one line"),
      body: z
        .string()
        .min(1)
        .max(BODY_MAX)
        .refine((text) => !text.includes("\u0000"), { error: "must not contain NUL characters" })
        .describe(`Plain-text body, at most ${BODY_MAX} characters`),
      html_body: simpleHtml.optional().describe("Optional simple HTML alternative of the same text"),
      occurrence: z
        .string()
        .regex(/^[A-Za-z0-9._:-]{1,100}$/, { error: "expected 1-100 characters of A-Z a-z 0-9 . _ : -" })
        .describe(
          "Which outreach this is for the recipient (e.g. 2026-11-21 or follow-up-2): the same one acts once",
        ),
      reply_to_thread_id: gmailIdInput
        .optional()
        .describe("Gmail thread id to reply in; the draft is threaded there"),
    })
    .superRefine((args, ctx) => {
      if (typeof args.account_domain === "string") {
        const problem = accountDomainProblem(args.account_domain);
        if (problem) {
          ctx.addIssue({ code: "custom", path: ["account_domain"], message: problem });
          return;
        }
      }
      if (typeof args.to !== "string" || typeof args.account_domain !== "string") return;
      const problem = recipientProblem(args.to, deps.suppression, args.account_domain);
      if (problem) ctx.addIssue({ code: "custom", path: ["to"], message: problem.message });
    });

  return defineTool({
    name: "create_outreach_draft",
    title: "Create outreach draft",
    description:
      "Creates a Gmail draft to one contact for a person to review and send; it never sends. The recipient must be in the account's domain and not suppressed; " +
      "account_domain must be the organisation's own domain (not a public suffix such as co.uk, nor a free-mail domain such as gmail.com). " +
      "Use a new occurrence for each distinct outreach to the same contact: the same (to, occurrence) creates one draft and a repeat returns it with replayed: true (already_sent: true and draft_id null once it was sent: nothing is created again). " +
      "Set reply_to_thread_id to reply in an existing thread (the subject must be the thread's, optionally with Re:). " +
      "Errors: INVALID_INPUT with the field (domain mismatch, suppressed, header injection), NOT_FOUND for an unknown thread.",
    kind: "write",
    input,
    output,
    hints: { destructiveHint: false },
    idempotency: {
      key: (args) => ({ target: args.to, occurrence: args.occurrence }),
      reconcile: (args, ctx) => findCreated(args, ctx.idempotencyKey, ctx.scope),
    },
    async handler(args, ctx) {
      const messageId = messageIdFor(ctx.idempotencyKey, deps.sender ? domainOf(deps.sender) : undefined);
      const reply = args.reply_to_thread_id
        ? await replyHeaders(deps, args.reply_to_thread_id, args.subject, ctx)
        : undefined;
      const raw = await composeMessage({
        ...(deps.sender ? { from: deps.sender } : {}),
        to: args.to,
        ...(args.to_name ? { toName: args.to_name } : {}),
        subject: args.subject,
        text: args.body,
        ...(args.html_body !== undefined ? { html: args.html_body } : {}),
        messageId,
        ...(reply ?? {}),
      });
      const draft = await createDraft(
        deps.gmail,
        { raw: toRaw(raw), ...(args.reply_to_thread_id ? { threadId: args.reply_to_thread_id } : {}) },
        ctx.scope,
      );
      const result: Output = {
        draft_id: draft.id,
        already_sent: false,
        message_id: draft.message.id,
        thread_id: draft.message.threadId ?? args.reply_to_thread_id ?? null,
        to: args.to,
        subject: args.subject,
        message_id_header: messageId,
        is_reply: reply !== undefined,
      };
      return result;
    },
  });

  /**
   * What an earlier attempt created, found by its Message-ID in the whole mailbox; null when
   * there is none. Still a draft: its result. Gone from drafts but in the mailbox (a person
   * sent it, or moved it to Trash after sending): the outreach happened, so the answer says it
   * was already sent and nothing is created again (a second draft would be a second email).
   */
  async function findCreated(
    args: { to: string; subject: string; reply_to_thread_id?: string | undefined },
    key: string,
    scope: CallScope,
  ): Promise<Output | null> {
    const messageId = messageIdFor(key, deps.sender ? domainOf(deps.sender) : undefined);
    let found = await lookFor(messageId, scope);
    if (found === undefined) {
      await new Promise((resolve) => setTimeout(resolve, SEARCH_SETTLE_MS));
      found = await lookFor(messageId, scope);
    }
    if (found === undefined) return null;
    return {
      draft_id: found.draftId,
      already_sent: found.draftId === null,
      message_id: found.messageId,
      thread_id: found.threadId ?? args.reply_to_thread_id ?? null,
      to: args.to,
      subject: args.subject,
      message_id_header: messageId,
      is_reply: args.reply_to_thread_id !== undefined,
    };
  }

  /** The draft carrying `messageId`, else the message that does (`draftId` null), else undefined. */
  async function lookFor(
    messageId: string,
    scope: CallScope,
  ): Promise<{ draftId: string | null; messageId: string; threadId: string | undefined } | undefined> {
    const drafts = await findDraftsByMessageId(deps.gmail, messageId, scope);
    // Cannot happen through this server (one key, one create at a time); a person must look.
    if (drafts.length > 1) throw new Error("several drafts carry one Message-ID");
    const draft = drafts[0];
    if (draft) return { draftId: draft.id, messageId: draft.messageId, threadId: draft.threadId };
    const messages = await findMessagesByMessageId(deps.gmail, messageId, scope);
    if (messages.length === 0) return undefined;
    if (messages.length > 1) throw new Error("several messages carry one Message-ID");
    const message = await getMessageMetadata(deps.gmail, messages[0]!.id, ["Message-ID"], scope);
    // A draft the drafts search did not list yet: its draft id is unknown, so this cannot answer.
    if (message.labelIds?.includes("DRAFT")) throw new Error("the draft is not listed among drafts yet");
    return { draftId: null, messageId: message.id, threadId: message.threadId };
  }
}

/** In-Reply-To and References of a reply in `threadId`, whose subject must be the thread's. */
async function replyHeaders(
  deps: EmailToolDeps,
  threadId: string,
  subject: string,
  ctx: ToolContext,
): Promise<{ inReplyTo?: string; references?: string[] }> {
  const messages = await getThreadMetadata(
    deps.gmail,
    threadId,
    ["Message-ID", "References", "Subject"],
    ctx.scope,
  );
  const last = messages[messages.length - 1];
  if (!last) throw new ToolError("NOT_FOUND", `Gmail thread ${threadId} has no messages to reply to`);
  const threadSubject = headerOf(last.payload, "Subject") ?? "";
  if (baseSubject(threadSubject) !== baseSubject(subject)) {
    throw new ToolError(
      "INVALID_INPUT",
      `a reply's subject must be the thread's ("${threadSubject.slice(0, 200)}"), optionally with Re:, for Gmail to thread it`,
      { field: "subject" },
    );
  }
  const lastId = headerOf(last.payload, "Message-ID");
  const earlier = (headerOf(last.payload, "References") ?? "")
    .split(/\s+/)
    .filter((r) => /^<[^<>\s]+>$/.test(r));
  if (!lastId || !/^<[^<>\s]+>$/.test(lastId)) return {};
  return { inReplyTo: lastId, references: [...earlier, lastId] };
}

/** A subject without its reply/forward prefixes, for comparison. */
function baseSubject(subject: string): string {
  return subject
    .trim()
    .replace(/^((re|fwd?|aw|sv)\s*:\s*)+/i, "")
    .toLowerCase();
}
