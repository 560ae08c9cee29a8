import { createHash } from "node:crypto";
import { headerOf, partTextOf, plainTextOf } from "../upstream/message-fields.js";
import type { GmailDraft } from "../upstream/schemas.js";
import { normalizeAddress } from "./address.js";

/** What the tools read from a draft. */
export interface DraftView {
  draftId: string;
  messageId: string;
  threadId: string | null;
  /** Every recipient (To, Cc, Bcc), normalised; `unreadable` lists what could not be read. */
  recipients: string[];
  unreadable: string[];
  subject: string;
  /** The RFC 5322 Message-ID header, when present. */
  messageIdHeader: string | undefined;
  text: string;
  snippet: string;
  /** Each header's recipients, normalised, as listed (what a person confirming is shown). */
  to: string[];
  cc: string[];
  bcc: string[];
  /** The `text/html` part, when there is one (most clients render it rather than `text`). */
  html: string | undefined;
  /**
   * SHA-256 of the whole message payload (every header and part): equal for two reads only
   * when nothing of the draft changed in between.
   */
  contentHash: string;
}

/** Reads a `format=full` draft. */
export function viewDraft(draft: GmailDraft): DraftView {
  const payload = draft.message.payload;
  const recipients: string[] = [];
  const unreadable: string[] = [];
  const byHeader: Record<string, string[]> = { To: [], Cc: [], Bcc: [] };
  for (const name of ["To", "Cc", "Bcc"]) {
    const value = headerOf(payload, name);
    if (!value) continue;
    for (const part of splitAddresses(value)) {
      const address = normalizeAddress(part);
      if (address) {
        recipients.push(address);
        byHeader[name]!.push(address);
      } else unreadable.push(part.slice(0, 100));
    }
  }
  return {
    draftId: draft.id,
    messageId: draft.message.id,
    threadId: draft.message.threadId ?? null,
    recipients: [...new Set(recipients)],
    unreadable,
    subject: headerOf(payload, "Subject") ?? "",
    messageIdHeader: headerOf(payload, "Message-ID"),
    text: plainTextOf(payload) ?? "",
    snippet: draft.message.snippet ?? "",
    to: byHeader.To!,
    cc: byHeader.Cc!,
    bcc: byHeader.Bcc!,
    html: partTextOf(payload, "text/html"),
    contentHash: createHash("sha256")
      .update(JSON.stringify(payload ?? null))
      .digest("hex"),
  };
}

/** `Jane <jane@a.com>, b@c.com` → `jane@a.com`, `b@c.com` (names dropped; quoted commas respected). */
export function splitAddresses(value: string): string[] {
  const parts: string[] = [];
  let current = "";
  let quoted = false;
  for (const ch of value) {
    if (ch === '"') quoted = !quoted;
    if (ch === "," && !quoted) {
      parts.push(current);
      current = "";
    } else current += ch;
  }
  parts.push(current);
  return parts
    .map((p) => p.trim())
    .filter((p) => p !== "")
    .map((p) => /<([^<>]*)>\s*$/.exec(p)?.[1] ?? p);
}

/** The first lines of a body, for a person to recognise it. */
export function preview(text: string, lines = 8, chars = 600): string {
  const head = text.split(/\r?\n/).slice(0, lines).join("\n");
  return head.length > chars ? `${head.slice(0, chars)}…` : head;
}
