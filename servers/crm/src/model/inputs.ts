import { z } from "zod";

// Input pieces several tools share. Each normalises what an agent plausibly sends
// (`https://www.Acme.com/`, ` Ada@Example.com`) into what HubSpot stores.

const HOSTNAME = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$/;

/** A HubSpot record id: digits. */
export const recordId = (what: string) =>
  z
    .string()
    .regex(/^\d{1,20}$/, { error: `expected a HubSpot ${what} id (digits)` })
    .describe(`HubSpot ${what} id (digits), e.g. 1234567890`);

/** A web domain, lower-cased, without scheme, path or trailing dot. */
export const domainInput = z
  .string()
  .trim()
  .toLowerCase()
  .transform((v) =>
    v
      .replace(/^[a-z][a-z0-9+.-]*:\/\//, "")
      .replace(/[/?#].*$/, "")
      .replace(/\.$/, ""),
  )
  .pipe(z.string().regex(HOSTNAME, { error: "expected a domain such as acme.com" }));

/** An email address, trimmed and lower-cased (HubSpot matches emails case-insensitively). */
export const emailInput = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ error: "expected an email address" }).max(254));

/** A page size. */
export const limitInput = (max: number, dflt: number) =>
  z.number().int().min(1).max(max).default(dflt).describe(`Page size, 1–${max} (default ${dflt})`);

/**
 * An opaque paging cursor as a previous page returned it. HubSpot promises only an opaque
 * `after` token (vendors.md), which may be URL-encoded base64 such as `MTA%3D`: any printable
 * ASCII passes through unchanged, and only HubSpot can say whether it is still valid.
 */
export const cursorInput = z
  .string()
  .regex(/^[\x21-\x7E]{1,1024}$/, { error: "expected a next_cursor value returned by a previous page" })
  .optional()
  .describe("Opaque cursor: the next_cursor of the previous page; omit for the first page");
