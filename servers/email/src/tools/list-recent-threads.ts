import { defineTool } from "@gtm-mcp/tool-kit/tools";
import { z } from "zod";
import { addressInput } from "../model/inputs.js";
import { headerOf } from "../upstream/message-fields.js";
import { getMessageMetadata, listMessages } from "../upstream/messages.js";
import type { GmailMessage } from "../upstream/schemas.js";
import type { EmailToolDeps } from "./deps.js";

/** Messages read per call: enough for a contact's recent history, bounded in quota (5 units each). */
const MAX_MESSAGES = 50;
const CONCURRENCY = 5;

const thread = z.object({
  thread_id: z.string(),
  last_message_at: z.string().nullable().describe("ISO time of the thread's latest message with the contact"),
  direction: z
    .enum(["sent", "received"])
    .describe("Whether that latest message was sent from the mailbox or received"),
  subject: z.string(),
  snippet: z.string(),
});

/**
 * `list_recent_threads`: the mailbox's threads with a contact in the last `days`, newest
 * first; `[]` when there are none (Gmail omits the list). `truncated` says more messages
 * matched than were read. Errors: INVALID_INPUT, the Gmail codes.
 */
export function listRecentThreadsTool(deps: EmailToolDeps) {
  return defineTool({
    name: "list_recent_threads",
    title: "List recent threads with a contact",
    description:
      "Lists the mailbox's email threads with one contact (from or to them) in the last `days` (at most 90), newest first: " +
      "the latest message's date, whether it was sent or received, subject and snippet. An empty list means no email in that window. " +
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
        getMessageMetadata(deps.gmail, m.id, ["Subject", "Date"], ctx.scope),
      );
      const latest = new Map<string, GmailMessage>();
      for (const message of messages) {
        const seen = latest.get(message.threadId);
        if (!seen || Number(message.internalDate ?? 0) > Number(seen.internalDate ?? 0))
          latest.set(message.threadId, message);
      }
      const threads = [...latest.values()]
        .sort((a, b) => Number(b.internalDate ?? 0) - Number(a.internalDate ?? 0))
        .map((m) => ({
          thread_id: m.threadId,
          last_message_at: m.internalDate ? new Date(Number(m.internalDate)).toISOString() : null,
          direction: (m.labelIds ?? []).includes("SENT") ? ("sent" as const) : ("received" as const),
          subject: headerOf(m.payload, "Subject") ?? "",
          snippet: m.snippet ?? "",
        }));
      return { contact_email, days, threads, truncated: ids.length >= MAX_MESSAGES };
    },
  });
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
