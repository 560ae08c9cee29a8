import { createHash } from "node:crypto";

/** A plain-text outreach message (with an optional simple HTML alternative). */
export interface OutgoingMessage {
  /** The sending mailbox, when known (Gmail fills `From` with the account otherwise). */
  from?: string;
  /** One normalised address. */
  to: string;
  /** Its display name (already checked for header injection; MailComposer quotes and encodes it). */
  toName?: string;
  subject: string;
  text: string;
  html?: string;
  /** `<…>`: derived from the idempotency key (see {@link messageIdFor}). */
  messageId: string;
  /** For a reply: the Message-ID answered, and the thread's chain of them. */
  inReplyTo?: string;
  references?: string[];
}

/**
 * The RFC 5322 message, built by nodemailer's MailComposer: a maintained MIME library
 * that encodes non-ASCII headers as RFC 2047 words, folds long lines, picks a transfer
 * encoding per part and escapes what it quotes, so header injection cannot come from our own
 * string handling. File and URL access are off: content is only the strings given.
 */
export async function composeMessage(message: OutgoingMessage): Promise<Buffer> {
  // Loaded at the first draft, not at start: nodemailer links node:http and Node's fetch
  // through its ES build, ~30 ms of every start otherwise (most sessions write no draft).
  const { default: MailComposer } = await import("nodemailer/lib/mail-composer");
  const composer = new MailComposer({
    ...(message.from ? { from: message.from } : {}),
    to: { name: message.toName ?? "", address: message.to },
    subject: message.subject,
    text: message.text,
    ...(message.html !== undefined ? { html: message.html } : {}),
    messageId: message.messageId,
    ...(message.inReplyTo ? { inReplyTo: message.inReplyTo } : {}),
    ...(message.references?.length ? { references: message.references } : {}),
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  return composer.compile().build();
}

/** base64url of the message, as `drafts.create` takes it in `message.raw`. */
export function toRaw(message: Buffer): string {
  return message.toString("base64url");
}

/**
 * The Message-ID of the draft created under `idempotencyKey`: the same key always gives the
 * same id, so an attempt whose answer was lost is found again by `rfc822msgid:` before
 * anything is created twice.
 */
export function messageIdFor(idempotencyKey: string, senderDomain: string | undefined): string {
  const digest = createHash("sha256").update(idempotencyKey).digest("hex").slice(0, 40);
  return `<gtm.${digest}@${senderDomain ?? "gtm-mcp.invalid"}>`;
}
