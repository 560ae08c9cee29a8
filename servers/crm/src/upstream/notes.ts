import type { CallScope } from "@gtm-mcp/tool-kit/upstream";
import type { HubSpot } from "./client.js";
import {
  type AssociationsPage,
  associationsPageSchema,
  type HubSpotObject,
  hubspotObjectSchema,
} from "./schemas.js";
import { searchObjects } from "./search.js";

/** HubSpot-defined association type id of note→company (vendors.md). */
export const NOTE_TO_COMPANY = 190;
/** HubSpot-defined association type id of note→contact (vendors.md). */
export const NOTE_TO_CONTACT = 202;

/** The note properties every note read asks for. */
export const NOTE_PROPERTIES = ["hs_note_body", "hs_timestamp"] as const;

/** HubSpot accepts at most 100 values in one `IN` filter. */
const IN_LIMIT = 100;
/** v4 association pages hold up to 500 ids. */
const ASSOCIATION_PAGE = 500;
/** An account with more notes than this is not read whole inside one tool call. */
const MAX_ASSOCIATION_PAGES = 40;

/**
 * Ids of the notes associated with a company: `GET /crm/v4/objects/companies/{id}/associations/notes`,
 * following `paging.next.after`. In HubSpot's order (ascending ids: oldest notes first).
 *
 * @throws ToolError as the HubSpot client maps failures.
 */
export async function listAssociatedNoteIds(
  hubspot: HubSpot,
  companyId: string,
  scope: CallScope,
): Promise<string[]> {
  const ids = new Set<string>();
  let after: string | null = null;
  for (let page = 0; page < MAX_ASSOCIATION_PAGES; page++) {
    const response: { body: AssociationsPage } = await hubspot.request(
      {
        method: "GET",
        path: `/crm/v4/objects/companies/${encodeURIComponent(companyId)}/associations/notes`,
        query: { limit: ASSOCIATION_PAGE, ...(after !== null ? { after } : {}) },
        operation: "companies.associations.notes",
        safeToRepeat: true,
        schema: associationsPageSchema,
      },
      scope,
    );
    for (const result of response.body.results) ids.add(result.toObjectId);
    after = response.body.paging;
    if (after === null) break;
  }
  return [...ids];
}

/** `ids` in chunks of at most 100, the size of one `IN` filter. */
export function inChunks(ids: readonly string[]): string[][] {
  const chunks: string[][] = [];
  for (let i = 0; i < ids.length; i += IN_LIMIT) chunks.push(ids.slice(i, i + IN_LIMIT));
  return chunks;
}

/**
 * The notes among `ids` (at most 100), optionally only those with `hs_timestamp` ≥ `sinceMs`:
 * `POST /crm/v3/objects/notes/search` with `hs_object_id IN ids`, following paging.
 *
 * @throws ToolError as the HubSpot client maps failures.
 */
export async function searchNotesAmong(
  hubspot: HubSpot,
  ids: readonly string[],
  sinceMs: number | undefined,
  scope: CallScope,
): Promise<HubSpotObject[]> {
  if (ids.length === 0) return [];
  if (ids.length > IN_LIMIT) throw new RangeError(`at most ${IN_LIMIT} ids per note search`);
  const filters = [
    { propertyName: "hs_object_id", operator: "IN" as const, values: [...ids] },
    ...(sinceMs !== undefined
      ? [{ propertyName: "hs_timestamp", operator: "GTE" as const, value: String(sinceMs) }]
      : []),
  ];
  const notes: HubSpotObject[] = [];
  let after: string | undefined;
  // At most 100 ids match, so one page normally; the loop only guards a smaller page size.
  for (let page = 0; page < IN_LIMIT; page++) {
    const result = await searchObjects(
      hubspot,
      "notes",
      {
        filters,
        properties: NOTE_PROPERTIES,
        limit: IN_LIMIT,
        sorts: [{ propertyName: "hs_timestamp", direction: "DESCENDING" }],
        ...(after !== undefined ? { after } : {}),
      },
      scope,
    );
    notes.push(...result.results);
    if (result.paging === null || result.results.length === 0) break;
    after = result.paging;
  }
  return notes;
}

/** What a new note holds. */
export interface NewNote {
  body: string;
  /** ISO 8601. */
  timestamp: string;
  companyId: string;
  contactId?: string;
}

/**
 * `POST /crm/v3/objects/notes` with the note→company (190) and, when given, note→contact (202)
 * associations. **Not idempotent**: never re-sent after it may have reached HubSpot; the caller
 * stamps a marker in the body so an unknown outcome can be reconciled.
 *
 * @throws ToolError as the HubSpot client maps failures (`sideEffect: "unknown"` when the answer was lost).
 */
export async function createNote(hubspot: HubSpot, note: NewNote, scope: CallScope): Promise<HubSpotObject> {
  const association = (id: string, typeId: number) => ({
    to: { id },
    types: [{ associationCategory: "HUBSPOT_DEFINED", associationTypeId: typeId }],
  });
  const response = await hubspot.request(
    {
      method: "POST",
      path: "/crm/v3/objects/notes",
      body: {
        properties: { hs_timestamp: note.timestamp, hs_note_body: note.body },
        associations: [
          association(note.companyId, NOTE_TO_COMPANY),
          ...(note.contactId !== undefined ? [association(note.contactId, NOTE_TO_CONTACT)] : []),
        ],
      },
      operation: "notes.create",
      safeToRepeat: false,
      schema: hubspotObjectSchema,
    },
    scope,
  );
  return response.body;
}
