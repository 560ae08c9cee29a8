import { MAX_DOMAIN_TEXT, registrableDomain } from "@gtm-mcp/tool-kit/inputs";
import { z } from "zod";

/** A company domain the lookups accept, or why not (a message fit for the model). */
export type CompanyDomain = { ok: true; domain: string } | { ok: false; message: string };

/**
 * The registrable domain to look a company up by (the tool-kit's Public Suffix List reading:
 * `https://www.Acme.com/x` → `acme.com`). Stricter than the tool-kit on one point, as the
 * issue asks: an e-mail address is refused rather than read as its domain, since a person's
 * address at a mail provider (gmail.com) would buy the provider's record with a credit.
 */
export function companyDomain(text: string): CompanyDomain {
  if (text.includes("@")) {
    return { ok: false, message: "expected a company domain, not an e-mail address (such as acme.com)" };
  }
  const domain = registrableDomain(text);
  if (domain !== undefined) return { ok: true, domain };
  return {
    ok: false,
    message: "expected a registrable domain such as acme.com (not an IP address, localhost or a bare name)",
  };
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
