import type { CallScope } from "@gtm-mcp/tool-kit/upstream";
import type { Gmail } from "./client.js";
import { draftListSchema, draftSchema, type GmailDraft, sentMessageSchema } from "./schemas.js";

/**
 * `POST /drafts` `{message:{raw, threadId?}}`. Not idempotent: a lost answer is reconciled
 * by the message's Message-ID ({@link findDraftsByMessageId}), never re-sent blindly.
 */
export async function createDraft(
  gmail: Gmail,
  message: { raw: string; threadId?: string },
  scope: CallScope,
): Promise<GmailDraft> {
  const response = await gmail.request(
    {
      method: "POST",
      path: "/drafts",
      body: { message },
      operation: "drafts.create",
      safeToRepeat: false,
      schema: draftSchema,
    },
    scope,
  );
  return response.body;
}

/** `GET /drafts/{id}` (format=full). @throws ToolError NOT_FOUND when there is no such draft. */
export async function getDraft(gmail: Gmail, draftId: string, scope: CallScope): Promise<GmailDraft> {
  const response = await gmail.request(
    {
      method: "GET",
      path: `/drafts/${encodeURIComponent(draftId)}`,
      query: { format: "full" },
      operation: "drafts.get",
      safeToRepeat: true,
      schema: draftSchema,
    },
    scope,
  );
  return response.body;
}

/** The drafts whose message carries `messageId` (`GET /drafts?q=rfc822msgid:…`); [] when none. */
export async function findDraftsByMessageId(
  gmail: Gmail,
  messageId: string,
  scope: CallScope,
): Promise<Array<{ id: string; messageId: string; threadId: string | undefined }>> {
  const response = await gmail.request(
    {
      method: "GET",
      path: "/drafts",
      query: { q: `rfc822msgid:${bare(messageId)}`, maxResults: 10 },
      operation: "drafts.list",
      safeToRepeat: true,
      schema: draftListSchema,
    },
    scope,
  );
  return (response.body.drafts ?? []).map((d) => ({
    id: d.id,
    messageId: d.message.id,
    threadId: d.message.threadId,
  }));
}

/** `POST /drafts/send` `{id}` → the sent message. Not idempotent. */
export async function sendDraft(
  gmail: Gmail,
  draftId: string,
  scope: CallScope,
): Promise<{ id: string; threadId: string; labelIds?: string[] | undefined }> {
  const response = await gmail.request(
    {
      method: "POST",
      path: "/drafts/send",
      body: { id: draftId },
      operation: "drafts.send",
      safeToRepeat: false,
      schema: sentMessageSchema,
    },
    scope,
  );
  return response.body;
}

/** `<id@host>` → `id@host`, as Gmail's `rfc822msgid:` search takes it. */
export function bare(messageId: string): string {
  return messageId.replace(/^<|>$/g, "");
}
