import { isToolError, ToolError } from "@gtm-mcp/tool-kit/errors";
import type { CallScope } from "@gtm-mcp/tool-kit/upstream";
import type { HubSpot } from "./client.js";
import { readErrorBody, shortMessageOf } from "./error-body.js";
import {
  type AssociationsBatch,
  associationsBatchSchema,
  type BatchInputError,
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
/** An account with more association pages than this is not read whole inside one tool call. */
const MAX_ASSOCIATION_PAGES = 40;
/** At most 100 ids match one search, so one page normally: more only guards a smaller page size. */
const MAX_SEARCH_PAGES = 5;

/**
 * Ids of the notes associated with a company: `POST
 * /crm/associations/{version}/companies/notes/batch/read` with `{inputs:[{id, after?}]}`,
 * following the result's `paging.next.after`. The date-based API has no GET list of one
 * record's associations (v4 had one); the batch read is its replacement. A company with no
 * notes comes back as a result with no `to`, or as a 207 whose error for the input says
 * `NO_ASSOCIATIONS_FOUND`: both are no notes. In HubSpot's order (ascending ids).
 *
 * @throws ToolError as the HubSpot client maps failures; UPSTREAM_REJECTED when HubSpot
 *   refuses the input for another reason (its message, never the body).
 */
export async function listAssociatedNoteIds(
  hubspot: HubSpot,
  companyId: string,
  scope: CallScope,
): Promise<string[]> {
  const ids = new Set<string>();
  let after: string | null = null;
  for (let page = 0; page < MAX_ASSOCIATION_PAGES; page++) {
    const response: { status: number; body: AssociationsBatch } = await hubspot.request(
      {
        method: "POST",
        path: hubspot.paths.associationsBatchRead("companies", "notes"),
        body: { inputs: [{ id: companyId, ...(after !== null ? { after } : {}) }] },
        operation: "companies.associations.notes",
        safeToRepeat: true,
        schema: associationsBatchSchema,
      },
      scope,
    );
    const refused = response.body.errors.find((e) => !noAssociations(e));
    if (refused) {
      const message = shortMessageOf(readErrorBody(refused)) ?? "HubSpot refused the associations read";
      throw new ToolError("UPSTREAM_REJECTED", `HubSpot: ${message}`, {
        upstream: { system: "hubspot", status: response.status },
        ...(refused.category ? { details: { category: refused.category } } : {}),
      });
    }
    const result = response.body.results.find((r) => r.from.id === companyId);
    for (const to of result?.to ?? []) ids.add(to.toObjectId);
    after = result?.paging ?? null;
    if (after === null) break;
  }
  return [...ids];
}

/** A batch error that only says the record has no associations of that type. */
function noAssociations(error: BatchInputError): boolean {
  const sub = typeof error.subCategory === "string" ? error.subCategory : "";
  return /NO_ASSOCIATIONS_FOUND/i.test(sub) || /^No \w+ is associated with/i.test(error.message ?? "");
}

/** `ids` in chunks of at most 100, the size of one `IN` filter. */
export function inChunks(ids: readonly string[]): string[][] {
  const chunks: string[][] = [];
  for (let i = 0; i < ids.length; i += IN_LIMIT) chunks.push(ids.slice(i, i + IN_LIMIT));
  return chunks;
}

/**
 * The notes among `ids` (at most 100) that HubSpot search returns: `POST
 * /crm/objects/{version}/notes/search` with `hs_object_id IN ids`. vendors.md does not promise that
 * filter, so the answer may miss some or all of them (the caller reads those by id), and
 * results outside `ids` are dropped. Paging stops once every id is seen or a page shows the
 * filter was ignored: following an unfiltered search would read the whole portal.
 *
 * @throws ToolError as the HubSpot client maps failures.
 */
export async function searchNotesAmong(
  hubspot: HubSpot,
  ids: readonly string[],
  scope: CallScope,
): Promise<HubSpotObject[]> {
  if (ids.length === 0) return [];
  if (ids.length > IN_LIMIT) throw new RangeError(`at most ${IN_LIMIT} ids per note search`);
  const wanted = new Set(ids);
  const found = new Map<string, HubSpotObject>();
  let after: string | undefined;
  for (let page = 0; page < MAX_SEARCH_PAGES; page++) {
    const result = await searchObjects(
      hubspot,
      "notes",
      {
        filters: [{ propertyName: "hs_object_id", operator: "IN", values: [...ids] }],
        properties: NOTE_PROPERTIES,
        limit: IN_LIMIT,
        ...(after !== undefined ? { after } : {}),
      },
      scope,
    );
    let ignoredFilter = false;
    for (const note of result.results) {
      if (wanted.has(note.id)) found.set(note.id, note);
      else ignoredFilter = true;
    }
    if (result.paging === null || result.results.length === 0 || ignoredFilter) break;
    if (found.size === wanted.size) break;
    after = result.paging;
  }
  return [...found.values()];
}

/**
 * One note by id: `GET /crm/objects/{version}/notes/{id}?properties=hs_note_body,hs_timestamp`, the
 * get-by-id shape vendors.md gives for companies. Null when HubSpot answers 404.
 *
 * @throws ToolError as the HubSpot client maps failures other than a 404.
 */
export async function getNote(hubspot: HubSpot, id: string, scope: CallScope): Promise<HubSpotObject | null> {
  try {
    const response = await hubspot.request(
      {
        method: "GET",
        path: hubspot.paths.object("notes", id),
        query: { properties: NOTE_PROPERTIES.join(",") },
        operation: "notes.get",
        safeToRepeat: true,
        schema: hubspotObjectSchema,
      },
      scope,
    );
    return response.body;
  } catch (error) {
    if (isToolError(error) && error.code === "NOT_FOUND") return null;
    throw error;
  }
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
 * `POST /crm/objects/{version}/notes` with the note→company (190) and, when given, note→contact (202)
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
      path: hubspot.paths.objects("notes"),
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
