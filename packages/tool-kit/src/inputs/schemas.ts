import { z } from "zod";
import { MAX_DOMAIN_TEXT, registrableDomain } from "./registrable-domain.js";

// Input schemas several servers share, declared so that their JSON Schema is short and exact:
// a `format` and a length bound instead of zod's long validation regexes (which cost the
// model's context on every tools/list), with the real check done here on the server.

/** RFC 3339 date-time with a zone (`2026-01-31T09:00:00Z`, `…+02:00`), fractions allowed. */
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Whether `text` names a real instant (`Date` would roll 2026-02-30 over to March). */
function isRealDate(text: string): boolean {
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) return false;
  const [y, m, d] = text.slice(0, 10).split("-").map(Number) as [number, number, number];
  const day = new Date(Date.UTC(y, m - 1, d));
  return day.getUTCFullYear() === y && day.getUTCMonth() === m - 1 && day.getUTCDate() === d;
}

/**
 * A company domain: listed as `{ type: string, maxLength }`, parsed to its registrable
 * domain ({@link registrableDomain}), so a URL or a `www.` host finds the company too.
 */
export function domainInput(description: string) {
  return z
    .string()
    .max(MAX_DOMAIN_TEXT)
    .transform((text, ctx) => {
      const domain = registrableDomain(text);
      if (domain !== undefined) return domain;
      ctx.addIssue({ code: "custom", message: "expected a domain such as acme.com (or a URL on it)" });
      return z.NEVER;
    })
    .describe(description);
}

/**
 * An email address: listed as `{ type: string, format: email, maxLength: 254 }`; trimmed and
 * lower-cased (vendors match emails case-insensitively), checked by zod's email rule.
 */
export function emailInput(description: string) {
  return z
    .string()
    .max(254)
    .meta({ format: "email" })
    .transform((text) => text.trim().toLowerCase())
    .pipe(z.email({ error: "expected an email address such as ada@acme.com" }))
    .describe(description);
}

/**
 * An instant: listed as `{ type: string, format: date-time }`; RFC 3339 with a zone. With
 * `allowDate`, a plain `YYYY-MM-DD` is accepted too (midnight UTC). Parsed to the ISO text
 * in UTC (`2026-01-31T07:00:00.000Z`).
 */
export function dateTimeInput(description: string, options: { allowDate?: boolean } = {}) {
  const expected = options.allowDate
    ? "expected an RFC 3339 date-time with a zone such as 2026-01-31T09:00:00Z, or a date such as 2026-01-31"
    : "expected an RFC 3339 date-time with a zone such as 2026-01-31T09:00:00Z";
  return z
    .string()
    .max(40)
    .meta({ format: "date-time" })
    .transform((text, ctx) => {
      const trimmed = text.trim();
      const shaped = RFC3339.test(trimmed) || (options.allowDate === true && ISO_DATE.test(trimmed));
      if (shaped && isRealDate(trimmed)) return new Date(trimmed).toISOString();
      ctx.addIssue({ code: "custom", message: expected });
      return z.NEVER;
    })
    .describe(description);
}
