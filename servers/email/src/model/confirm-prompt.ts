import { convert } from "html-to-text";
import type { DraftView } from "./draft-view.js";

/** The most body text a confirmation shows, all parts together; the total is always stated. */
export const CONFIRM_BODY_MAX = 10_000;

/** What a person confirming a send reads, and what their answer is bound to. */
export interface ConfirmPrompt {
  message: string;
  /** The facts the answer holds for: draft, message, content hash and every recipient. */
  shown: {
    draft: string;
    message: string;
    contentHash: string;
    to: string[];
    cc: string[];
    bcc: string[];
  };
}

/**
 * The confirmation of a send: every recipient (To, Cc, Bcc), the subject and the full text —
 * the HTML part reduced to text when there is one (it is what most clients show the
 * recipient), and the plain-text part too when it says something else — bounded to
 * {@link CONFIRM_BODY_MAX} characters with the total length stated, so a clipped body says so.
 */
export function confirmPrompt(view: DraftView, sender: string | undefined): ConfirmPrompt {
  const parts: Array<{ label: string; text: string }> = [];
  const htmlText = view.html !== undefined ? htmlToText(view.html) : undefined;
  if (htmlText !== undefined) parts.push({ label: "HTML part, shown as text", text: htmlText });
  if (view.text !== "" && (htmlText === undefined || squash(view.text) !== squash(htmlText)))
    parts.push({
      label: htmlText === undefined ? "Text" : "Plain-text part (differs from the HTML)",
      text: view.text,
    });
  if (parts.length === 0)
    parts.push({ label: "Text (no body part found; Gmail's snippet)", text: view.snippet });

  const lines = [
    "Send this email now?",
    sender ? `From: ${sender}` : undefined,
    `To: ${list(view.to)}`,
    view.cc.length > 0 ? `Cc: ${list(view.cc)}` : undefined,
    view.bcc.length > 0 ? `Bcc: ${list(view.bcc)}` : undefined,
    `Subject: ${view.subject}`,
  ].filter((line): line is string => line !== undefined);
  let room = CONFIRM_BODY_MAX;
  for (const part of parts) {
    const shown = part.text.slice(0, Math.max(0, room));
    room -= shown.length;
    const total = part.text.length.toLocaleString("en-US");
    lines.push(
      "",
      shown.length === part.text.length
        ? `${part.label} (${total} characters):`
        : `${part.label} (${total} characters; the first ${shown.length.toLocaleString("en-US")} shown, open the draft in Gmail to read the rest):`,
      shown,
    );
  }
  return {
    message: lines.join("\n"),
    shown: {
      draft: view.draftId,
      message: view.messageId,
      contentHash: view.contentHash,
      to: view.to,
      cc: view.cc,
      bcc: view.bcc,
    },
  };
}

/** HTML as a person would read it: html-to-text keeps links (`text [url]`) and drops images. */
function htmlToText(html: string): string {
  return convert(html, {
    wordwrap: false,
    selectors: [
      { selector: "img", format: "skip" },
      { selector: "a", options: { hideLinkHrefIfSameAsText: true } },
    ],
  }).trim();
}

function squash(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

function list(addresses: string[]): string {
  return addresses.length > 0 ? addresses.join(", ") : "(none)";
}
