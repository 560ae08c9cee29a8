import { z } from "zod";

// Input pieces several tools share. Domains, emails and instants come from the tool-kit
// (`@gtm-mcp/tool-kit/inputs`): they normalise what an agent plausibly sends
// (`https://www.Acme.com/`, ` Ada@Example.com`) and list short, exact JSON Schemas.
export { dateTimeInput, domainInput, emailInput } from "@gtm-mcp/tool-kit/inputs";

/** A HubSpot record id: digits. */
export const recordId = (what: string) =>
  z
    .string()
    .regex(/^\d{1,20}$/, { error: `expected a HubSpot ${what} id (digits)` })
    .describe(`HubSpot ${what} id (digits), e.g. 1234567890`);

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
