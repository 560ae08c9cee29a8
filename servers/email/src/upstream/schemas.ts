import { z } from "zod";

/** Gmail ids: hexadecimal for messages and threads, `r…` digits for drafts; only safe characters. */
export const gmailId = z.string().regex(/^[A-Za-z0-9_-]{1,128}$/);

const header = z.object({ name: z.string(), value: z.string() });

/** A message part as `format=full` or `format=metadata` returns it. */
export interface MessagePart {
  mimeType?: string | undefined;
  headers?: Array<{ name: string; value: string }> | undefined;
  body?: { data?: string | undefined; size?: number | undefined } | undefined;
  parts?: MessagePart[] | undefined;
}

export const messagePartSchema: z.ZodType<MessagePart> = z.lazy(() =>
  z.object({
    mimeType: z.string().optional(),
    headers: z.array(header).optional(),
    body: z.object({ data: z.string().optional(), size: z.number().optional() }).optional(),
    parts: z.array(messagePartSchema).optional(),
  }),
);

/** `GET /profile`. */
export const profileSchema = z.object({ emailAddress: z.string() });

/** A message as `messages.get` returns it (`format=full` or `metadata`). */
export const messageSchema = z.object({
  id: gmailId,
  threadId: gmailId,
  labelIds: z.array(z.string()).optional(),
  snippet: z.string().optional(),
  internalDate: z.string().regex(/^\d+$/).optional(),
  payload: messagePartSchema.optional(),
});
export type GmailMessage = z.infer<typeof messageSchema>;

/** `GET /messages`: `messages` is omitted when nothing matches (vendors.md). */
export const messageListSchema = z.object({
  messages: z.array(z.object({ id: gmailId, threadId: gmailId })).optional(),
  nextPageToken: z.string().optional(),
  resultSizeEstimate: z.number().optional(),
});

/** `POST /drafts` and `GET /drafts/{id}`. */
export const draftSchema = z.object({
  id: gmailId,
  message: messageSchema.partial({ threadId: true }),
});
export type GmailDraft = z.infer<typeof draftSchema>;

/** `GET /drafts?q=…`: `drafts` is omitted when nothing matches. */
export const draftListSchema = z.object({
  drafts: z
    .array(z.object({ id: gmailId, message: z.object({ id: gmailId, threadId: gmailId.optional() }) }))
    .optional(),
  nextPageToken: z.string().optional(),
  resultSizeEstimate: z.number().optional(),
});

/** `POST /drafts/send` → the sent message. */
export const sentMessageSchema = z.object({
  id: gmailId,
  threadId: gmailId,
  labelIds: z.array(z.string()).optional(),
});

/** `GET /threads/{id}?format=metadata`. */
export const threadSchema = z.object({
  id: gmailId,
  messages: z.array(messageSchema).optional(),
});
