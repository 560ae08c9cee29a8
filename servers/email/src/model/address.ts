import { domainToASCII } from "node:url";

/**
 * Addresses and header text as this server accepts them: deliberately narrower than RFC 5322.
 * A recipient is one plain `local@domain` (ASCII local part, no quoted local part, no
 * comments, no display name, no list, no source routing), so nothing in it can start a new
 * header, a second recipient or a relay hop.
 */

// Dot-atom local part (RFC 5322 §3.2.3) without quoting; a domain of LDH labels.
const LOCAL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/** Control characters, line and paragraph separators: none may reach a header. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** An RFC 2047 encoded word: decoded by mail clients, it could smuggle a line break or an address. */
const ENCODED_WORD = /=\?[^?]*\?[bqBQ]\?[^?]*\?=/;

/** Providers whose mailboxes ignore dots in the local part (`j.ane@gmail.com` is `jane@gmail.com`). */
const DOTLESS_DOMAINS = new Set(["gmail.com", "googlemail.com"]);

/**
 * A domain in canonical form (lower case, no trailing dot, an internationalised name in
 * punycode: `Bücher.de.` → `xn--bcher-kva.de`), or undefined when it is not a hostname.
 * IDN mapping is Node's WHATWG URL host parser (UTS #46), not ours.
 */
export function normalizeDomain(text: string): string | undefined {
  if (CONTROL.test(text)) return undefined;
  const trimmed = text.trim();
  if (trimmed === "" || trimmed.length > 253 || /\s/.test(trimmed)) return undefined;
  // What the URL host parser would decode or split (`acme%2ecom`, `acme.com:25`) is not a hostname here.
  if (/[%/\\?#@:[\]]/.test(trimmed)) return undefined;
  const domain = domainToASCII(trimmed).replace(/\.$/, "");
  if (domain.length === 0 || domain.length > 253) return undefined;
  const labels = domain.split(".");
  if (labels.length < 2 || !labels.every((label) => LABEL.test(label))) return undefined;
  if (/^\d+$/.test(labels[labels.length - 1]!)) return undefined;
  return domain;
}

/** One plain address read from text, or why it is not one. */
export type ParsedAddress =
  | { address: string; problem?: undefined }
  | { address?: undefined; problem: string };

/**
 * `local@domain` with the local part lower-cased and the domain canonical (see
 * {@link normalizeDomain}), or why `text` is not one plain address. This is the address a
 * message goes to; matching (suppression, cooldown) uses {@link addressKey} of it.
 */
export function parseAddress(text: string): ParsedAddress {
  const plain = {
    problem:
      "expected exactly one plain address (name@example.com): no display name, list, quotes, comments or line breaks",
  };
  if (CONTROL.test(text)) return plain;
  const trimmed = text.trim();
  if (trimmed.length > 254) return plain;
  const at = trimmed.lastIndexOf("@");
  if (at <= 0) return plain;
  const local = trimmed.slice(0, at);
  const domainText = trimmed.slice(at + 1);
  // `x%evil.com@acme.com`, `evil.com!x@acme.com`: source routing a relay may still honour.
  if (/[%!]/.test(local)) return { problem: "routing syntax (% or ! in the local part) is not accepted" };
  if (local.length > 64 || !LOCAL.test(local) || domainText.trim() !== domainText) return plain;
  const domain = normalizeDomain(domainText);
  if (domain === undefined) return plain;
  return { address: `${local.toLowerCase()}@${domain}` };
}

/**
 * `local@domain` lower-cased, or undefined when it is not one plain address. The local part is
 * lower-cased too: mailbox providers treat it so in practice, and a suppression, a cooldown or
 * an idempotency key must not be dodged by changing case.
 */
export function normalizeAddress(text: string): string | undefined {
  return parseAddress(text).address;
}

/**
 * The mailbox a normalised address reaches, for matching only (never for sending): the
 * plus-tag dropped (`jane+x@acme.com` → `jane@acme.com`) and, at providers that ignore
 * them, the dots of the local part (`j.ane@googlemail.com` → `jane@gmail.com`). Suppression
 * entries and cooldowns are keyed by it, so a variant of an address shares its opt-out and
 * its cooldown.
 */
export function addressKey(address: string): string {
  const at = address.lastIndexOf("@");
  let local = address.slice(0, at);
  let domain = address.slice(at + 1);
  const plus = local.indexOf("+");
  if (plus > 0) local = local.slice(0, plus);
  if (DOTLESS_DOMAINS.has(domain)) {
    local = local.replaceAll(".", "");
    domain = "gmail.com";
  }
  return `${local}@${domain}`;
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

/**
 * Why `name` may not be a recipient's display name, or undefined. Read after NFKC
 * normalisation, so a full-width `＠` (U+FF20), a small `﹫` (U+FE6B) or full-width `＜`
 * count as what a reader sees: a name that looks like an address (`x＠evil.com`) would show
 * the person another recipient than the one the message goes to.
 */
export function displayNameProblem(name: string): string | undefined {
  const problem = headerTextProblem(name);
  if (problem) return problem;
  const seen = name.normalize("NFKC");
  if (/@/.test(seen)) return "must not look like an address (no @ or look-alike at-sign)";
  if (/[<>"\\,;:]/.test(seen)) return 'must not contain < > " \\ , ; or : (or look-alikes)';
  return undefined;
}
