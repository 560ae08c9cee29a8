import { domainToASCII, domainToUnicode } from "node:url";
import { z } from "zod";
import { MAX_DOMAIN_TEXT, registrableDomain } from "./registrable-domain.js";

/** A hostname read from input, or why it is not one (a message fit for the model). */
export type HostnameReading = { ok: true; hostname: string } | { ok: false; message: string };

/**
 * Characters a hostname never holds and a person cannot see: controls (Cc), format characters
 * (Cf: zero-width space U+200B, joiners, the bidirectional controls U+202A–U+202E and
 * U+2066–U+2069, soft hyphen U+00AD, BOM), surrogates (Cs: a lone one), private use (Co),
 * unassigned code points (Cn), line and paragraph separators. Refused rather than dropped: a
 * domain carrying one was not typed by a person, and saying so beats looking up a guess.
 */
const HIDDEN = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}]/u;
/** A DNS label in its ASCII form (letters, digits, hyphens; no hyphen at either end). */
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * The hostname in `text` (a host, or an http(s) URL on it), in the one form a cache key and a
 * vendor request can share: NFKC-normalised, then IDNA (UTS #46) mapped, lower-cased and
 * converted to punycode by the WHATWG URL parser built into Node (`Bücher.de` →
 * `xn--bcher-kva.de`, full-width `ＡＣＭＥ.com` → `acme.com`), without a trailing dot.
 *
 * Refused, each with its reason: invisible, bidirectional-control or other hidden characters
 * (see `HIDDEN`; a lone surrogate included), whitespace inside, user info (`ada@acme.com`),
 * another scheme than http(s), IP addresses, and whatever is not then letters, digits and
 * hyphens in labels of 1–63 characters, 253 at most (`ac_me.com`, `a..b.com`, `-acme.com`,
 * invalid punycode such as `xn--zz.com`).
 */
export function normalizeHostname(text: string): HostnameReading {
  const trimmed = text.trim();
  if (trimmed === "") return refuse("expected a domain such as acme.com, got an empty text");
  if (trimmed.length > MAX_DOMAIN_TEXT) return refuse(`expected a domain, got ${trimmed.length} characters`);
  if (/\p{Cs}/u.test(trimmed)) return refuse("the text holds a lone surrogate (broken UTF-16), not a domain");
  const hidden = HIDDEN.exec(trimmed);
  if (hidden) {
    return refuse(
      `the domain holds an invisible, bidirectional-control or control character (${codePointOf(hidden[0])}); type it without`,
    );
  }
  if (/\s/u.test(trimmed)) return refuse("a domain has no spaces");
  const normal = trimmed.normalize("NFKC");
  let url: URL;
  try {
    url = new URL(SCHEME.test(normal) ? normal : `http://${normal}`);
  } catch {
    return refuse("expected a domain such as acme.com (or an http(s) URL on it)");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    return refuse("expected a domain or an http(s) URL");
  if (url.username !== "" || url.password !== "")
    return refuse("expected a domain, not an address with a user part");
  const hostname = url.hostname.replace(/\.$/, "");
  if (hostname.startsWith("[")) return refuse("expected a domain, not an IP address");
  const labels = hostname.split(".");
  if (hostname.length > 253 || !labels.every((label) => LABEL.test(label)))
    return refuse("expected a domain of letters, digits and hyphens such as acme.com");
  if (!labels.every(isValidAceLabel))
    return refuse("the domain holds a label that is not valid punycode (xn--…)");
  // The WHATWG parser reads an all-numeric last label as IPv4 (`10.1.2.3`, `0x0a.1`).
  if (/^(0x[0-9a-f]*|[0-9]+)$/.test(labels[labels.length - 1]!))
    return refuse("expected a domain, not an IP address");
  return { ok: true, hostname };
}

/**
 * The registrable domain (Public Suffix List, see {@link registrableDomain}) of the hostname
 * {@link normalizeHostname} reads: `https://www.Bücher.de/x` → `xn--bcher-kva.de`. Refuses
 * what `normalizeHostname` refuses, and a bare public suffix, a single label or `localhost`.
 */
export function normalizeRegistrableDomain(
  text: string,
): { ok: true; domain: string } | { ok: false; message: string } {
  const host = normalizeHostname(text);
  if (!host.ok) return host;
  const domain = registrableDomain(host.hostname);
  if (domain !== undefined) return { ok: true, domain };
  return {
    ok: false,
    message: "expected a registrable domain such as acme.com (not a public suffix, localhost or a bare name)",
  };
}

/**
 * A hostname input: listed as `{ type: string, maxLength }`, parsed by
 * {@link normalizeHostname} (with `registrable`, by {@link normalizeRegistrableDomain}), so
 * the value a handler sees is the one form to key a cache on and send to a vendor.
 */
export function hostnameInput(description: string, options: { registrable?: boolean } = {}) {
  return z
    .string()
    .max(MAX_DOMAIN_TEXT)
    .transform((text, ctx) => {
      const read = options.registrable ? normalizeRegistrableDomain(text) : normalizeHostname(text);
      if (read.ok) return "domain" in read ? read.domain : read.hostname;
      ctx.addIssue({ code: "custom", message: read.message });
      return z.NEVER;
    })
    .describe(description);
}

/**
 * Whether a label is plain ASCII or valid punycode: an `xn--` label must decode to Unicode and
 * encode back to itself (the URL parser lets `xn--zz` through as it is).
 */
function isValidAceLabel(label: string): boolean {
  if (!label.startsWith("xn--")) return true;
  const unicode = domainToUnicode(label);
  return unicode !== "" && unicode !== label && domainToASCII(unicode) === label;
}

function refuse(message: string): HostnameReading {
  return { ok: false, message };
}

function codePointOf(char: string): string {
  return `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
}
