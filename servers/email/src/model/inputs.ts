import { z } from "zod";
import { displayNameProblem, headerTextProblem, normalizeDomain, parseAddress } from "./address.js";
import { checkSimpleHtml } from "./simple-html.js";

/** Longest plain-text body accepted (a short outreach email is far below it). */
export const BODY_MAX = 20_000;
/** Longest HTML alternative accepted. */
export const HTML_MAX = 50_000;

/** One plain address, normalised (see `parseAddress`); INVALID_INPUT saying why otherwise. */
export const addressInput = z
  .string()
  .max(254)
  .transform((text, ctx) => {
    const parsed = parseAddress(text);
    if (parsed.address === undefined) {
      ctx.addIssue({ code: "custom", message: parsed.problem });
      return z.NEVER;
    }
    return parsed.address;
  });

/** A domain, normalised (lower case, no trailing dot, IDN as punycode). */
export const domainInput = z
  .string()
  .max(253)
  .transform((text, ctx) => {
    const domain = normalizeDomain(text);
    if (domain === undefined) {
      ctx.addIssue({ code: "custom", message: "expected a domain such as acme.com" });
      return z.NEVER;
    }
    return domain;
  });

/** A string of at most `max` characters that `problemOf` finds nothing wrong with. */
const checkedText = (max: number, problemOf: (text: string) => string | undefined) =>
  z
    .string()
    .max(max)
    .superRefine((text, ctx) => {
      const problem = problemOf(text);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    });

/** Text that goes into a header: no line breaks, control characters or encoded words. */
export const headerText = (max: number) => checkedText(max, headerTextProblem);

/** A recipient's display name: header text that does not look like an address (NFKC-read). */
export const displayNameInput = (max: number) => checkedText(max, displayNameProblem);

/** A Gmail id (draft, message, thread). */
export const gmailIdInput = z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, { error: "expected a Gmail id" });

/**
 * HTML that is only markup for text, checked by an allow-list sanitiser (see
 * `checkSimpleHtml`): refused, naming what is not allowed, when the sanitiser would remove
 * anything; accepted as the sanitiser serialises it.
 */
export const simpleHtml = z
  .string()
  .max(HTML_MAX)
  .transform((html, ctx) => {
    // biome-ignore lint/suspicious/noControlCharactersInRegex: matching NUL is the point
    if (/\u0000/.test(html)) {
      ctx.addIssue({ code: "custom", message: "must not contain NUL characters" });
      return z.NEVER;
    }
    const checked = checkSimpleHtml(html);
    if (checked.html === undefined) {
      ctx.addIssue({ code: "custom", message: checked.problem });
      return z.NEVER;
    }
    return checked.html;
  });
