import { createHash } from "node:crypto";
import type { Book } from "../book/types.js";
import type { Searchable } from "./search-query.js";

/** One message in the mailbox. */
export interface MailMessage extends Searchable {
  id: string;
  threadId: string;
  /** Base64url of the RFC 5322 text (drafts and sends; seeded mail has none). */
  raw?: string;
  headers: Array<{ name: string; value: string }>;
  historyId: string;
}

/** One draft (its message is in `messages` with the DRAFT label until sent). */
export interface MailDraft {
  id: string;
  messageId: string;
  createdAt: string;
}

/** The seller's mailbox: seeded history, drafts and sends. */
export class Mailbox {
  readonly messages = new Map<string, MailMessage>();
  readonly drafts = new Map<string, MailDraft>();
  readonly sends: Array<{
    draftId: string;
    messageId: string;
    threadId: string;
    rfc822MessageId: string;
    to: string;
    subject: string;
    at: string;
  }> = [];
  readonly draftLog: Array<{
    draftId: string;
    messageId: string;
    rfc822MessageId: string;
    to: string;
    subject: string;
    at: string;
  }> = [];
  private history = 100_000;
  private counter = 0;

  constructor(
    readonly owner: string,
    book: Book,
    anchorMs: number,
  ) {
    for (const m of book.mailbox) {
      const internalDate = Math.round(anchorMs - m.daysAgo * 86_400_000);
      this.messages.set(m.id, {
        id: m.id,
        threadId: m.threadId,
        from: m.from,
        to: m.to,
        cc: "",
        subject: m.subject,
        snippet: m.snippet,
        messageId: m.messageId,
        labelIds: m.labelIds,
        internalDate,
        headers: [
          { name: "From", value: m.from },
          { name: "To", value: m.to },
          { name: "Subject", value: m.subject },
          { name: "Date", value: new Date(internalDate).toUTCString() },
          { name: "Message-ID", value: `<${m.messageId}>` },
        ],
        historyId: String(this.nextHistory()),
      });
    }
  }

  /** A new Gmail-style id (16 hex digits), unique in this mailbox. */
  newId(): string {
    this.counter++;
    return createHash("sha256").update(`${this.owner}/${this.counter}`).digest("hex").slice(0, 16);
  }

  nextHistory(): number {
    return ++this.history;
  }

  /** Messages matching `match`, newest first; drafts only when `includeDrafts`. */
  list(match: (m: MailMessage) => boolean): MailMessage[] {
    return [...this.messages.values()]
      .filter(match)
      .sort((a, b) => b.internalDate - a.internalDate || (a.id < b.id ? 1 : -1));
  }

  threadIds(): number {
    return new Set([...this.messages.values()].map((m) => m.threadId)).size;
  }
}
