import { MAX_DOMAIN_TEXT, normalizeRegistrableDomain } from "@gtm-mcp/tool-kit/inputs";
import { z } from "zod";

/** A company domain the lookups accept, or why not (a message fit for the model). */
export type CompanyDomain = { ok: true; domain: string } | { ok: false; message: string };

const NOT_REGISTRABLE =
  "expected a registrable domain such as acme.com (not an IP address, localhost or a bare name)";

/**
 * The registrable domain to look a company up by, in the one form that is both the cache key
 * and the `website` sent to PDL (the tool-kit's `normalizeRegistrableDomain`: NFKC, IDN to
 * punycode, Public Suffix List; `https://www.Bücher.de/x` → `xn--bcher-kva.de`). Invisible,
 * bidirectional-control and other hidden characters are refused with their code point, so
 * `ac\u200bme.com` can neither buy a second lookup of acme.com nor come back in `domain`.
 * Stricter than the tool-kit on one point: an e-mail address is refused rather than read as
 * its domain, since a person's address at a mail provider (gmail.com) would buy the
 * provider's record with a credit.
 */
export function companyDomain(text: string): CompanyDomain {
  if (text.includes("@")) {
    return { ok: false, message: "expected a company domain, not an e-mail address (such as acme.com)" };
  }
  const read = normalizeRegistrableDomain(text);
  if (read.ok) return read;
  const trimmed = text.trim();
  return trimmed === "" || /\s/u.test(trimmed) ? { ok: false, message: NOT_REGISTRABLE } : read;
}

/** The `domain` input: listed as a length-bounded string, parsed by {@link companyDomain}. */
export function companyDomainInput(description: string) {
  return z
    .string()
    .max(MAX_DOMAIN_TEXT)
    .transform((text, ctx) => {
      const result = companyDomain(text);
      if (result.ok) return result.domain;
      ctx.addIssue({ code: "custom", message: result.message });
      return z.NEVER;
    })
    .describe(description);
}
