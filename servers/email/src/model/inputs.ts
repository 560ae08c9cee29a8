import { z } from "zod";
import { headerTextProblem, normalizeAddress, normalizeDomain } from "./address.js";

/** Longest plain-text body accepted (a short outreach email is far below it). */
export const BODY_MAX = 20_000;
/** Longest HTML alternative accepted. */
export const HTML_MAX = 50_000;

/** One plain address, normalised; INVALID_INPUT otherwise. */
export const addressInput = z
  .string()
  .max(254)
  .transform((text, ctx) => {
    const address = normalizeAddress(text);
    if (address === undefined) {
      ctx.addIssue({
        code: "custom",
        message:
          "expected exactly one plain address (name@example.com): no display name, list, quotes, comments or line breaks",
      });
      return z.NEVER;
    }
    return address;
  });

/** A domain, normalised. */
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

/** Text that goes into a header: no line breaks, control characters or encoded words. */
export const headerText = (max: number) =>
  z
    .string()
    .max(max)
    .superRefine((text, ctx) => {
      const problem = headerTextProblem(text);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    });

/** A Gmail id (draft, message, thread). */
export const gmailIdInput = z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, { error: "expected a Gmail id" });

/** HTML that is only markup for text: no scripts, frames, forms, event handlers or javascript: URLs. */
export const simpleHtml = z
  .string()
  .max(HTML_MAX)
  .superRefine((html, ctx) => {
    if (/<\s*\/?\s*(script|iframe|object|embed|form|style|meta|link|base)\b/i.test(html))
      ctx.addIssue({
        code: "custom",
        message: "simple HTML only: no script, iframe, object, embed, form, style, meta, link or base",
      });
    if (/\son[a-z]+\s*=/i.test(html) || /javascript:/i.test(html))
      ctx.addIssue({ code: "custom", message: "simple HTML only: no event handlers or javascript: URLs" });
    // biome-ignore lint/suspicious/noControlCharactersInRegex: matching NUL is the point
    if (/\u0000/.test(html)) ctx.addIssue({ code: "custom", message: "must not contain NUL characters" });
  });
