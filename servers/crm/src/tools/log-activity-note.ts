import { ToolError } from "@gtm-mcp/tool-kit/errors";
import { defineTool } from "@gtm-mcp/tool-kit/tools";
import type { CallScope } from "@gtm-mcp/tool-kit/upstream";
import { z } from "zod";
import { recordId } from "../model/inputs.js";
import { carriesMarker, NOTE_BODY_LIMIT, NOTE_BODY_MAX, noteMarker } from "../model/note-marker.js";
import { isoOf } from "../model/property-values.js";
import { compareIdsDescending } from "../model/record-ids.js";
import type { HubSpot } from "../upstream/client.js";
import { createNote, inChunks, listAssociatedNoteIds, searchNotesAmong } from "../upstream/notes.js";
import type { CrmToolDeps } from "./deps.js";

const input = z.object({
  account_id: recordId("company").describe("HubSpot company id (digits) the note is logged on"),
  body: z
    .string()
    .min(1)
    .max(NOTE_BODY_MAX)
    .describe(
      `Note text (HubSpot renders it as rich text), 1–${NOTE_BODY_MAX} characters: a short reference is appended, within HubSpot's ${NOTE_BODY_LIMIT}-character limit`,
    ),
  contact_id: recordId("contact")
    .optional()
    .describe("Also associate the note with this HubSpot contact (id, digits)"),
  timestamp: z.iso
    .datetime({ offset: true })
    .optional()
    .describe("When the activity happened, ISO 8601 date-time, e.g. 2026-11-21T14:00:00Z (default: now)"),
  occurrence: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .describe(
      "The logical occurrence of this note, e.g. 2026-11-21 or follow-up-2: one note per account and occurrence; repeating it returns the first note",
    ),
});

type Args = z.output<typeof input>;

const output = z.object({
  note_id: z.string().describe("HubSpot note id"),
  account_id: z.string().describe("The company the note is on"),
  contact_id: z.string().nullable().describe("The contact the note is also on, or null"),
  timestamp: z.string().describe("The note's activity time, ISO 8601"),
});

type Output = z.output<typeof output>;

/**
 * `log_activity_note`: logs a note on an account (and optionally a contact), once per
 * (account, occurrence). HubSpot note creation is not idempotent, so the note carries a
 * marker derived from the idempotency key: when an earlier attempt's outcome is unknown, the
 * account's notes are searched for it before anything is written again. Errors:
 * INVALID_INPUT, NOT_FOUND, UPSTREAM_REJECTED, RATE_LIMITED, QUOTA_EXHAUSTED,
 * PERMISSION_DENIED, UPSTREAM_UNAVAILABLE / UPSTREAM_TIMEOUT (with `sideEffect: "unknown"`
 * when the create may have landed), OUTCOME_UNKNOWN, WRITES_DISABLED, CAP_EXCEEDED,
 * IDEMPOTENCY_KEY_REUSED, IN_PROGRESS.
 */
export function logActivityNoteTool(deps: CrmToolDeps) {
  return defineTool({
    name: "log_activity_note",
    title: "Log activity note",
    description:
      "Logs a note on a HubSpot company (optionally also on a contact). One note per account and occurrence: repeating the call " +
      "with the same account_id and occurrence returns the first note instead of writing another. A short reference is appended to the body.",
    kind: "write",
    hints: { destructiveHint: false },
    // Reconciling reads every associated note: allow more than the usual 8 s.
    deadlineMs: 15_000,
    input,
    output,
    idempotency: {
      key: (args) => ({ target: args.account_id, occurrence: args.occurrence }),
      reconcile: (args, ctx) => findMarkedNote(deps.hubspot, args, ctx.idempotencyKey, ctx.scope),
    },
    async handler(args, ctx) {
      const timestamp = new Date(
        args.timestamp !== undefined ? Date.parse(args.timestamp) : deps.now(),
      ).toISOString();
      const note = await createNote(
        deps.hubspot,
        {
          body: `${args.body}${noteMarker(ctx.idempotencyKey)}`,
          timestamp,
          companyId: args.account_id,
          ...(args.contact_id !== undefined ? { contactId: args.contact_id } : {}),
        },
        ctx.scope,
      );
      return resultOf(args, note.id, isoOf(note.properties.hs_timestamp) ?? timestamp);
    },
  });
}

function resultOf(args: Args, noteId: string, timestamp: string): Output {
  return { note_id: noteId, account_id: args.account_id, contact_id: args.contact_id ?? null, timestamp };
}

/**
 * Looks for the note an earlier attempt may have created: the account's associated notes,
 * newest first, read by id and checked for the marker. Returns null only when every
 * associated note was read and none carries it.
 *
 * @throws ToolError when HubSpot cannot be read, or when some associated note is not yet
 *   searchable (HubSpot indexes new records within seconds): then nobody can tell yet.
 */
async function findMarkedNote(
  hubspot: HubSpot,
  args: Args,
  key: string,
  scope: CallScope,
): Promise<Output | null> {
  const ids = (await listAssociatedNoteIds(hubspot, args.account_id, scope)).sort(compareIdsDescending);
  for (const chunk of inChunks(ids)) {
    const notes = await searchNotesAmong(hubspot, chunk, undefined, scope);
    const marked = notes.find((note) => carriesMarker(note.properties.hs_note_body, key));
    if (marked) {
      const timestamp =
        isoOf(marked.properties.hs_timestamp) ?? isoOf(marked.createdAt) ?? isoOf(args.timestamp);
      if (timestamp === null)
        throw new ToolError("UPSTREAM_CONTRACT_VIOLATION", `HubSpot note ${marked.id} has no timestamp`);
      return resultOf(args, marked.id, timestamp);
    }
    const seen = new Set(notes.map((note) => note.id));
    const unseen = chunk.filter((id) => !seen.has(id));
    if (unseen.length > 0) {
      throw new ToolError(
        "UPSTREAM_UNAVAILABLE",
        `HubSpot search does not show ${unseen.length} of the account's notes yet; cannot tell whether the earlier attempt wrote one`,
        { upstream: { system: "hubspot" }, details: { unseenNoteIds: unseen.slice(0, 10) } },
      );
    }
  }
  return null;
}
