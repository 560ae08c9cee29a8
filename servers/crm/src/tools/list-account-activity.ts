import { ToolError } from "@gtm-mcp/tool-kit/errors";
import { defineTool } from "@gtm-mcp/tool-kit/tools";
import { z } from "zod";
import { limitInput, recordId } from "../model/inputs.js";
import { epochMsOf, isoOf, textOf } from "../model/property-values.js";
import { compareIdsDescending } from "../model/record-ids.js";
import { getCompany } from "../upstream/companies.js";
import { listAssociatedNoteIds } from "../upstream/notes.js";
import { readNotes } from "../upstream/read-notes.js";
import type { HubSpotObject } from "../upstream/schemas.js";
import type { CrmToolDeps } from "./deps.js";
import { rethrowNotFound } from "./not-found.js";

const DAY_MS = 86_400_000;
// The cursor is the position of the last note returned (activity ms, id), not an offset: a note
// logged between two pages neither repeats a note nor skips one.
const CURSOR = /^(\d{1,15})_(\d{1,20})$/;

const noteSchema = z.object({
  id: z.string().describe("HubSpot note id"),
  body: z.string().nullable().describe("Note body as stored (may be HTML)"),
  timestamp: z
    .string()
    .nullable()
    .describe("When the activity happened (else when the note was created), ISO 8601"),
});

/**
 * `list_account_activity`: the notes on an account from the last `days` days, newest first.
 * An account without notes gives `[]`; a missing account is NOT_FOUND. Errors: NOT_FOUND,
 * INVALID_INPUT, RATE_LIMITED, QUOTA_EXHAUSTED, PERMISSION_DENIED, UPSTREAM_UNAVAILABLE (also
 * when some associated note cannot be read: a short list would look complete), UPSTREAM_TIMEOUT,
 * UPSTREAM_CONTRACT_VIOLATION.
 */
export function listAccountActivityTool(deps: CrmToolDeps) {
  return defineTool({
    name: "list_account_activity",
    title: "List account activity",
    description:
      "Lists the notes logged on a HubSpot company in the last N days (default 30, at most 365), newest first, a page at a time. " +
      "An account with no notes in that window gives an empty list; an unknown account_id is NOT_FOUND. " +
      "If HubSpot does not return every note of the account, the call fails with UPSTREAM_UNAVAILABLE (retryable) rather than return a partial list.",
    kind: "read",
    // Associations, one search per 100 notes and reads by id of what search misses: more requests
    // than one call's usual 8 s allows for a busy account.
    deadlineMs: 20_000,
    input: z.object({
      account_id: recordId("company").describe("HubSpot company id (digits)"),
      days: z
        .number()
        .int()
        .min(1)
        .max(365)
        .default(30)
        .describe("How many days back to look, 1–365 (default 30)"),
      limit: limitInput(100, 25),
      cursor: z
        .string()
        .regex(CURSOR, { error: "expected a next_cursor value returned by a previous page" })
        .optional()
        .describe("Opaque cursor: the next_cursor of the previous page; omit for the first page"),
    }),
    output: z.object({
      account_id: z.string().describe("The account the notes are on"),
      notes: z.array(noteSchema).describe("This page of notes, newest first"),
      next_cursor: z.string().nullable().describe("Pass as cursor for the next page; null on the last page"),
    }),
    async handler(args, ctx) {
      const id = args.account_id;
      await getCompany(deps.hubspot, id, ctx.scope, []).catch((error: unknown) =>
        rethrowNotFound(error, `No HubSpot company with id ${id}`, "account_id"),
      );
      const sinceMs = deps.now() - args.days * DAY_MS;
      const noteIds = await listAssociatedNoteIds(deps.hubspot, id, ctx.scope);
      const read = await readNotes(deps.hubspot, noteIds, ctx.scope);
      if (read.unread.length > 0) throw unreadNotes(id, read.unread, noteIds.length);
      // The window is applied here, not in the search: notes read by id come unfiltered.
      const notes = read.notes
        .map((note) => ({ note, at: activityTimeOf(note) }))
        .filter((entry): entry is Entry => entry.at !== null && entry.at >= sinceMs)
        .sort(newestFirst);
      const after = args.cursor !== undefined ? cursorKey(args.cursor) : undefined;
      const rest = after !== undefined ? notes.filter((entry) => newestFirst(after, entry) < 0) : notes;
      const page = rest.slice(0, args.limit);
      const last = page.at(-1);
      return {
        account_id: id,
        notes: page.map(({ note, at }) => ({
          id: note.id,
          body: textOf(note.properties.hs_note_body),
          timestamp: isoOf(note.properties.hs_timestamp) ?? new Date(at).toISOString(),
        })),
        next_cursor: last !== undefined && rest.length > page.length ? cursorOf(last) : null,
      };
    },
  });
}

/** A note with its activity time (epoch ms). */
interface Entry {
  note: HubSpotObject;
  at: number;
}

/** The note's activity time: `hs_timestamp`, else when it was created. */
function activityTimeOf(note: HubSpotObject): number | null {
  return epochMsOf(note.properties.hs_timestamp) ?? epochMsOf(note.createdAt);
}

/** The list order: newest activity first, then newest id first (a total order, so paging is stable). */
function newestFirst(
  a: { at: number; note: { id: string } },
  b: { at: number; note: { id: string } },
): number {
  return b.at - a.at || compareIdsDescending(a.note.id, b.note.id);
}

function cursorOf(entry: Entry): string {
  return `${entry.at}_${entry.note.id}`;
}

function cursorKey(cursor: string): { at: number; note: { id: string } } {
  const [, at, id] = CURSOR.exec(cursor)!;
  return { at: Number(at), note: { id: id! } };
}

function unreadNotes(accountId: string, unread: string[], total: number): ToolError {
  return new ToolError(
    "UPSTREAM_UNAVAILABLE",
    `HubSpot did not return ${unread.length} of the ${total} notes on account ${accountId}; the list would be incomplete, so none is returned. Retry later`,
    {
      upstream: { system: "hubspot" },
      details: { unreadCount: unread.length, unreadNoteIds: unread.slice(0, 10) },
    },
  );
}
