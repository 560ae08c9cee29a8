import type { CallScope } from "@gtm-mcp/tool-kit/upstream";
import type { Gmail } from "./client.js";
import { bare } from "./drafts.js";
import { type GmailMessage, messageListSchema, messageSchema, threadSchema } from "./schemas.js";

/**
 * `GET /messages?q=…`: ids of matching messages, newest first; [] when none (Gmail omits the
 * list). With `includeSpamTrash`, messages in Spam and Trash are searched too.
 */
export async function listMessages(
  gmail: Gmail,
  q: string,
  maxResults: number,
  scope: CallScope,
  options: { includeSpamTrash?: boolean } = {},
): Promise<Array<{ id: string; threadId: string }>> {
  const response = await gmail.request(
    {
      method: "GET",
      path: "/messages",
      query: { q, maxResults, ...(options.includeSpamTrash ? { includeSpamTrash: true } : {}) },
      operation: "messages.list",
      safeToRepeat: true,
      schema: messageListSchema,
    },
    scope,
  );
  return response.body.messages ?? [];
}

/** `GET /messages/{id}?format=metadata` with the headers named. */
export async function getMessageMetadata(
  gmail: Gmail,
  id: string,
  headers: string[],
  scope: CallScope,
): Promise<GmailMessage> {
  const response = await gmail.request(
    {
      method: "GET",
      path: `/messages/${encodeURIComponent(id)}?${headers.map((h) => `metadataHeaders=${encodeURIComponent(h)}`).join("&")}`,
      query: { format: "metadata" },
      operation: "messages.get",
      safeToRepeat: true,
      schema: messageSchema,
    },
    scope,
  );
  return response.body;
}

/**
 * The sent message carrying `messageId` (`q=rfc822msgid:… in:sent`, Spam and Trash included:
 * a sent message a person then deleted was still sent), or undefined.
 */
export async function findSentByMessageId(
  gmail: Gmail,
  messageId: string,
  scope: CallScope,
): Promise<{ id: string; threadId: string } | undefined> {
  const found = await listMessages(gmail, `rfc822msgid:${bare(messageId)} in:sent`, 5, scope, {
    includeSpamTrash: true,
  });
  return found[0];
}

/**
 * Every message in the whole mailbox carrying `messageId` (`q=rfc822msgid:…` over
 * `messages.list` with `includeSpamTrash`): drafts, sent mail, and what a person moved to
 * Spam or Trash. [] when none.
 */
export async function findMessagesByMessageId(
  gmail: Gmail,
  messageId: string,
  scope: CallScope,
): Promise<Array<{ id: string; threadId: string }>> {
  return listMessages(gmail, `rfc822msgid:${bare(messageId)}`, 5, scope, { includeSpamTrash: true });
}

/** `GET /threads/{id}?format=metadata`: its messages with the headers named. */
export async function getThreadMetadata(
  gmail: Gmail,
  threadId: string,
  headers: string[],
  scope: CallScope,
): Promise<GmailMessage[]> {
  const response = await gmail.request(
    {
      method: "GET",
      path: `/threads/${encodeURIComponent(threadId)}?${headers.map((h) => `metadataHeaders=${encodeURIComponent(h)}`).join("&")}`,
      query: { format: "metadata" },
      operation: "threads.get",
      safeToRepeat: true,
      schema: threadSchema,
    },
    scope,
  );
  return response.body.messages ?? [];
}
