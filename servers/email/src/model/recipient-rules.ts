import { createRequire } from "node:module";
import { getDomain } from "tldts";
import { addressKey, domainOf, isWithinDomain } from "./address.js";
import type { SuppressionList } from "./suppression-list.js";

/**
 * The rules every recipient of this server's mail meets, whoever wrote the draft: shared by
 * `create_outreach_draft` (its one `to`) and `send_draft` (every To, Cc and Bcc of the draft
 * it sends), so the two can never disagree.
 *
 * Public suffixes come from the Public Suffix List through tldts (the tool-kit's library for
 * registrable domains), private suffixes included: `co.uk`, `github.io` or `myshopify.com`
 * is not one organisation. Free-mail domains come from the `free-email-domains` package (a
 * maintained list of ~14,000 consumer mailbox domains, the one HubSpot's forms use): a
 * `gmail.com` address belongs to a person, not to an account.
 */

/**
 * Most recipients one sent message may have: outreach goes to a person, and a draft to a
 * crowd (a pasted list of thousands) is refused rather than sent, cooled down and echoed.
 */
export const MAX_RECIPIENTS = 50;

let freeMail: Set<string> | undefined;

/** Whether `domain` (normalised), or a parent of it, is a free-mail provider's domain. */
export function isFreeMailDomain(domain: string): boolean {
  // Loaded at the first check, not at start: 14,000 names most sessions never need.
  freeMail ??= new Set(createRequire(import.meta.url)("free-email-domains") as string[]);
  const labels = domain.split(".");
  for (let i = 0; i < labels.length - 1; i++) {
    if (freeMail.has(labels.slice(i).join("."))) return true;
  }
  return false;
}

/** Whether `domain` (normalised) is a public suffix: no organisation's domain, anyone registers under it. */
export function isPublicSuffix(domain: string): boolean {
  return getDomain(domain, { allowPrivateDomains: true }) === null;
}

/**
 * Why `domain` cannot be an account's domain (the one a recipient must be in), or undefined:
 * a public suffix (`co.uk`: every company under it would pass) or a free-mail domain
 * (`gmail.com`: anyone at all).
 */
export function accountDomainProblem(domain: string): string | undefined {
  if (isPublicSuffix(domain))
    return `${domain} is a public suffix, not an organisation's domain; give the account's own domain`;
  if (isFreeMailDomain(domain))
    return `${domain} is a free-mail domain, not an organisation's domain; give the account's own domain`;
  return undefined;
}

/** A recipient refused, and why (`field` is where the caller reports it). */
export interface RecipientProblem {
  reason: "domain" | "suppressed";
  message: string;
}

/**
 * Why a message may not go to `address` (normalised), or undefined: its domain is a public
 * suffix or a free-mail domain, it is outside `accountDomain` when one is given, or it is on
 * the suppression list (matched by {@link addressKey}, so `Jane+x@acme.com` is
 * `jane@acme.com`).
 */
export function recipientProblem(
  address: string,
  suppression: SuppressionList,
  accountDomain?: string,
): RecipientProblem | undefined {
  const domain = domainOf(address);
  if (accountDomain !== undefined && !isWithinDomain(domain, accountDomain)) {
    return {
      reason: "domain",
      message: `the recipient's domain ${domain} is not ${accountDomain} or one of its subdomains`,
    };
  }
  if (isPublicSuffix(domain))
    return { reason: "domain", message: `the recipient's domain ${domain} is a public suffix` };
  if (isFreeMailDomain(domain))
    return {
      reason: "domain",
      message: `the recipient's domain ${domain} is a free-mail domain, not an account's`,
    };
  const suppressed = suppression.match(address);
  if (suppressed !== undefined) {
    const what = suppressed.includes("@") ? "address" : `domain ${suppressed}`;
    return {
      reason: "suppressed",
      message: `the recipient is on the suppression list (${what}); do not contact`,
    };
  }
  return undefined;
}

/** The cooldown subject of a recipient: the mailbox it reaches, so variants share one cooldown. */
export const cooldownSubject = addressKey;
