import { getDomain } from "tldts";

/** Longest text {@link registrableDomain} looks at: a URL an agent pastes, not a document. */
export const MAX_DOMAIN_TEXT = 2048;

/**
 * The registrable domain a company is known by, from whatever an agent plausibly sends: a
 * domain, a host, a URL or an email address. `https://www.Acme.com/about` → `acme.com`,
 * `shop.acme.co.uk` → `acme.co.uk` (Public Suffix List, via tldts), `ada@acme.com` →
 * `acme.com`. Hosting platforms' private suffixes count, so `acme.myshopify.com` stays
 * whole (the company is not Shopify). Undefined for anything with no registrable domain:
 * a bare word, an IP address, `localhost`, text with spaces.
 */
export function registrableDomain(text: string): string | undefined {
  const trimmed = text.trim();
  if (trimmed === "" || trimmed.length > MAX_DOMAIN_TEXT || /\s/.test(trimmed)) return undefined;
  const domain = getDomain(trimmed.toLowerCase(), { allowPrivateDomains: true });
  return domain ?? undefined;
}
