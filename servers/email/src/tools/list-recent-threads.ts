import { bounded } from "@gtm-mcp/tool-kit/errors";
import { defineTool } from "@gtm-mcp/tool-kit/tools";
import { z } from "zod";
import { normalizeAddress } from "../model/address.js";
import { splitAddresses } from "../model/draft-view.js";
import { addressInput } from "../model/inputs.js";
import { headerOf } from "../upstream/message-fields.js";
import { getMessageMetadata, listMessages } from "../upstream/messages.js";
import type { GmailMessage } from "../upstream/schemas.js";
import type { EmailToolDeps } from "./deps.js";

/** Messages read per call: enough for a contact's recent history, bounded in quota (5 units each). */
const MAX_MESSAGES = 50;
const CONCURRENCY = 5;
/** Longest subject and snippet returned: a stranger can send the mailbox any mail. */
export const SUBJECT_SHOWN = 200;
export const SNIPPET_SHOWN = 300;

const thread = z.object({
  thread_id: z.string(),
  last_message_at: z.string().nullable().describe("ISO time of the thread's latest message with the contact"),
  direction: z
    .enum(["sent", "received"])
    .describe("Whether that latest message was sent from the mailbox or received"),
  subject: z
    .string()
    .describe(
      `The latest message's subject; past ${SUBJECT_SHOWN} characters clipped, ending …(<length> chars)`,
    ),
  snippet: z
    .string()
    .describe(`Gmail's snippet of it; past ${SNIPPET_SHOWN} characters clipped, ending …(<length> chars)`),
});

/**
 * `list_recent_threads`: the mailbox's threads with a contact in the last `days`, newest
 * first; `[]` when there are none (Gmail omits the list). Drafts are not mail with the
 * contact (the run's own unsent drafts must not read as a conversation) and are left out; a
 * message is `received` only when it is neither labelled SENT nor from the sending mailbox.
 * Subjects and snippets are scrubbed, then clipped: at most 50 threads of bounded fields,
 * whatever strangers mailed. `truncated` says more messages matched than were read.
 * Errors: INVALID_INPUT, the Gmail codes.
 */
export function listRecentThreadsTool(deps: EmailToolDeps) {
  return defineTool({
    name: "list_recent_threads",
    title: "List recent threads with a contact",
    description:
      "Lists the mailbox's email threads with one contact (from or to them) in the last `days` (at most 90), newest first: " +
      "the latest message's date, whether it was sent or received, subject and snippet (long ones clipped, their length stated). " +
      "Drafts (including this server's own unsent ones) are not email with the contact and are left out. An empty list means no email in that window. " +
      "Call before drafting outreach, to avoid writing to someone already in conversation.",
    kind: "read",
    input: z.object({
      contact_email: addressInput.describe("The contact's address"),
      days: z
        .number()
        .int()
        .min(1)
        .max(90)
        .default(30)
        .describe("How many days back to look (1-90, default 30)"),
    }),
    output: z.object({
      contact_email: z.string(),
      days: z.number().int(),
      threads: z.array(thread),
      truncated: z
        .boolean()
        .describe("True when more messages matched than were read: the oldest threads may be missing"),
    }),
    async handler({ contact_email, days }, ctx) {
      const q = `from:"${contact_email}" OR to:"${contact_email}" newer_than:${days}d`;
      const ids = await listMessages(deps.gmail, q, MAX_MESSAGES, ctx.scope);
      const messages = await mapBounded(ids, CONCURRENCY, (m) =>
        getMessageMetadata(deps.gmail, m.id, ["Subject", "Date", "From"], ctx.scope),
      );
      const latest = new Map<string, GmailMessage>();
      for (const message of messages) {
        if ((message.labelIds ?? []).includes("DRAFT")) continue;
        const seen = latest.get(message.threadId);
        if (!seen || Number(message.internalDate ?? 0) > Number(seen.internalDate ?? 0))
          latest.set(message.threadId, message);
      }
      const threads = [...latest.values()]
        .sort((a, b) => Number(b.internalDate ?? 0) - Number(a.internalDate ?? 0))
        .map((m) => ({
          thread_id: m.threadId,
          last_message_at: m.internalDate ? new Date(Number(m.internalDate)).toISOString() : null,
          direction: isFromMailbox(m, deps.sender) ? ("sent" as const) : ("received" as const),
          subject: bounded(ctx.scrub(headerOf(m.payload, "Subject") ?? ""), SUBJECT_SHOWN),
          snippet: bounded(ctx.scrub(m.snippet ?? ""), SNIPPET_SHOWN),
        }));
      return { contact_email, days, threads, truncated: ids.length >= MAX_MESSAGES };
    },
  });
}

/** Whether the mailbox itself wrote `message`: labelled SENT, or From the sending mailbox. */
function isFromMailbox(message: GmailMessage, sender: string | undefined): boolean {
  if ((message.labelIds ?? []).includes("SENT")) return true;
  if (sender === undefined) return false;
  const from = splitAddresses(headerOf(message.payload, "From") ?? "").map((part) => normalizeAddress(part));
  return from.includes(sender);
}

/** `fn` over `items`, at most `limit` at a time, results in order. */
async function mapBounded<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
