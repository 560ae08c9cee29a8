import { defineTool } from "@gtm-mcp/tool-kit/tools";
import { z } from "zod";
import { limitInput, recordId } from "../model/inputs.js";
import { epochMsOf, isoOf, textOf } from "../model/property-values.js";
import { compareIdsDescending } from "../model/record-ids.js";
import { getCompany } from "../upstream/companies.js";
import { inChunks, listAssociatedNoteIds, searchNotesAmong } from "../upstream/notes.js";
import type { HubSpotObject } from "../upstream/schemas.js";
import type { CrmToolDeps } from "./deps.js";
import { rethrowNotFound } from "./not-found.js";

const DAY_MS = 86_400_000;

const noteSchema = z.object({
  id: z.string().describe("HubSpot note id"),
  body: z.string().nullable().describe("Note body as stored (hs_note_body; may be HTML)"),
  timestamp: z.string().nullable().describe("When the activity happened, ISO 8601 (hs_timestamp)"),
});

/**
 * `list_account_activity`: the notes on an account from the last `days` days, newest first.
 * An account without notes gives `[]`; a missing account is NOT_FOUND. Errors: NOT_FOUND,
 * INVALID_INPUT, RATE_LIMITED, QUOTA_EXHAUSTED, PERMISSION_DENIED, UPSTREAM_UNAVAILABLE,
 * UPSTREAM_TIMEOUT, UPSTREAM_CONTRACT_VIOLATION.
 */
export function listAccountActivityTool(deps: CrmToolDeps) {
  return defineTool({
    name: "list_account_activity",
    title: "List account activity",
    description:
      "Lists the notes logged on a HubSpot company in the last N days (default 30, at most 365), newest first, a page at a time. " +
      "An account with no notes in that window gives an empty list; an unknown account_id is NOT_FOUND.",
    kind: "read",
    // Associations, then one search per 100 notes: more requests than one call's usual 8 s allows for a busy account.
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
        .regex(/^\d{1,6}$/, { error: "expected a next_cursor value returned by a previous page" })
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
      const found = new Map<string, { note: HubSpotObject; at: number }>();
      // One search at a time: HubSpot allows about four searches a second per token.
      for (const chunk of inChunks(noteIds)) {
        for (const note of await searchNotesAmong(deps.hubspot, chunk, sinceMs, ctx.scope)) {
          const at = epochMsOf(note.properties.hs_timestamp);
          // Filtered here too: the window must hold even if a search answer included older notes.
          if (at !== null && at >= sinceMs) found.set(note.id, { note, at });
        }
      }
      const notes = [...found.values()].sort(
        (a, b) => b.at - a.at || compareIdsDescending(a.note.id, b.note.id),
      );
      const offset = args.cursor !== undefined ? Number(args.cursor) : 0;
      const page = notes.slice(offset, offset + args.limit);
      return {
        account_id: id,
        notes: page.map(({ note }) => ({
          id: note.id,
          body: textOf(note.properties.hs_note_body),
          timestamp: isoOf(note.properties.hs_timestamp),
        })),
        next_cursor: offset + args.limit < notes.length ? String(offset + args.limit) : null,
      };
    },
  });
}
