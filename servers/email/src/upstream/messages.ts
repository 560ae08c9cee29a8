import type { CallScope } from "@gtm-mcp/tool-kit/upstream";
import type { Gmail } from "./client.js";
import { bare } from "./drafts.js";
import { type GmailMessage, messageListSchema, messageSchema, threadSchema } from "./schemas.js";

/** `GET /messages?q=…`: ids of matching messages, newest first; [] when none (Gmail omits the list). */
export async function listMessages(
  gmail: Gmail,
  q: string,
  maxResults: number,
  scope: CallScope,
): Promise<Array<{ id: string; threadId: string }>> {
  const response = await gmail.request(
    {
      method: "GET",
      path: "/messages",
      query: { q, maxResults },
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

/** The sent message carrying `messageId` (`q=rfc822msgid:… in:sent`), or undefined. */
export async function findSentByMessageId(
  gmail: Gmail,
  messageId: string,
  scope: CallScope,
): Promise<{ id: string; threadId: string } | undefined> {
  const found = await listMessages(gmail, `rfc822msgid:${bare(messageId)} in:sent`, 5, scope);
  return found[0];
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
