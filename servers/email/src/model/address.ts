/**
 * Addresses and header text as this server accepts them: deliberately narrower than RFC 5322.
 * A recipient is one plain `local@domain` (ASCII, no quoted local part, no comments, no
 * display name, no list), so nothing in it can start a new header or a second recipient.
 */

// Dot-atom local part (RFC 5322 §3.2.3) without quoting; a domain of LDH labels.
const LOCAL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/** Control characters, line and paragraph separators: none may reach a header. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** An RFC 2047 encoded word: decoded by mail clients, it could smuggle a line break or an address. */
const ENCODED_WORD = /=\?[^?]*\?[bqBQ]\?[^?]*\?=/;

/** A domain in canonical form (lower case, no trailing dot), or undefined when it is not a hostname. */
export function normalizeDomain(text: string): string | undefined {
  const domain = text.trim().toLowerCase().replace(/\.$/, "");
  if (domain.length === 0 || domain.length > 253) return undefined;
  const labels = domain.split(".");
  if (labels.length < 2 || !labels.every((label) => LABEL.test(label))) return undefined;
  if (/^\d+$/.test(labels[labels.length - 1]!)) return undefined;
  return domain;
}

/**
 * `local@domain` lower-cased, or undefined when it is not one plain address. The local part is
 * lower-cased too: mailbox providers treat it so in practice, and a suppression, a cooldown or
 * an idempotency key must not be dodged by changing case.
 */
export function normalizeAddress(text: string): string | undefined {
  if (CONTROL.test(text)) return undefined;
  const trimmed = text.trim();
  if (trimmed.length > 254) return undefined;
  const at = trimmed.lastIndexOf("@");
  if (at <= 0) return undefined;
  const local = trimmed.slice(0, at);
  const domain = normalizeDomain(trimmed.slice(at + 1));
  if (local.length > 64 || !LOCAL.test(local) || domain === undefined) return undefined;
  if (trimmed.slice(at + 1).trim() !== trimmed.slice(at + 1)) return undefined;
  return `${local.toLowerCase()}@${domain}`;
}

/** The domain part of a normalised address. */
export function domainOf(address: string): string {
  return address.slice(address.lastIndexOf("@") + 1);
}

/** Whether `domain` is `accountDomain` or one of its subdomains (both normalised). */
export function isWithinDomain(domain: string, accountDomain: string): boolean {
  return domain === accountDomain || domain.endsWith(`.${accountDomain}`);
}

/**
 * Why `text` may not go into a header (a subject, a display name), or undefined when it is
 * safe: no control characters or line breaks, and no RFC 2047 encoded words.
 */
export function headerTextProblem(text: string): string | undefined {
  if (CONTROL.test(text)) return "must not contain line breaks or control characters";
  if (ENCODED_WORD.test(text)) return "must not contain MIME encoded words (=?charset?Q?…?=)";
  return undefined;
}
