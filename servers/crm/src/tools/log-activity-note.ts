import { ToolError } from "@gtm-mcp/tool-kit/errors";
import { defineTool } from "@gtm-mcp/tool-kit/tools";
import type { CallScope } from "@gtm-mcp/tool-kit/upstream";
import { z } from "zod";
import { dateTimeInput, recordId } from "../model/inputs.js";
import { isMarkedNote, NOTE_BODY_LIMIT, NOTE_MARKER_LENGTH, stampNote } from "../model/note-marker.js";
import { epochMsOf, isoOf } from "../model/property-values.js";
import type { HubSpot } from "../upstream/client.js";
import { createNote, listAssociatedNoteIds } from "../upstream/notes.js";
import { readNotes } from "../upstream/read-notes.js";
import type { CrmToolDeps } from "./deps.js";
import { assertNoteTargetsExist, rethrowCreateNotFound } from "./note-targets.js";

const input = z.object({
  account_id: recordId("company").describe("HubSpot company id (digits) the note is logged on"),
  body: z
    .string()
    .min(1)
    .max(NOTE_BODY_LIMIT)
    .describe(
      `Note text (HubSpot renders it as rich text), 1–${NOTE_BODY_LIMIT} characters (HubSpot's limit). A ${NOTE_MARKER_LENGTH}-character reference ` +
        `is appended when it fits; a longer body is kept whole and the reference goes into the milliseconds of the note's timestamp instead (shifted by under 1 s)`,
    ),
  contact_id: recordId("contact")
    .optional()
    .describe("Also associate the note with this HubSpot contact (id, digits)"),
  timestamp: dateTimeInput("When the activity happened, e.g. 2026-11-21T14:00:00Z (default: now)").optional(),
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
 * account's notes are read and checked for it before anything is written again. Errors:
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
      "with the same account_id and occurrence returns the first note instead of writing another. A short reference is appended to the body " +
      "(a body too long for it keeps its text whole; its timestamp's milliseconds carry the reference). An unknown account_id or contact_id is NOT_FOUND and writes nothing.",
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
      await assertNoteTargetsExist(deps.hubspot, args, ctx.scope);
      const at = args.timestamp !== undefined ? Date.parse(args.timestamp) : deps.now();
      const stamped = stampNote(args.body, at, ctx.idempotencyKey);
      const note = await createNote(
        deps.hubspot,
        {
          ...stamped,
          companyId: args.account_id,
          ...(args.contact_id !== undefined ? { contactId: args.contact_id } : {}),
        },
        ctx.scope,
      ).catch((error: unknown) => rethrowCreateNotFound(error, args));
      return resultOf(args, note.id, isoOf(note.properties.hs_timestamp) ?? stamped.timestamp);
    },
  });
}

function resultOf(args: Args, noteId: string, timestamp: string): Output {
  return { note_id: noteId, account_id: args.account_id, contact_id: args.contact_id ?? null, timestamp };
}

/**
 * Looks for the note an earlier attempt may have created: the account's associated notes,
 * newest first, read (by search, else by id) and checked for the key's marker (in the body,
 * or for a body too long for it, in the timestamp). Returns null only when every associated
 * note was read and none is ours.
 *
 * @throws ToolError when HubSpot cannot be read, or some associated note cannot be read yet
 *   (HubSpot indexes new records within seconds): then nobody can tell yet.
 */
async function findMarkedNote(
  hubspot: HubSpot,
  args: Args,
  key: string,
  scope: CallScope,
): Promise<Output | null> {
  const ids = await listAssociatedNoteIds(hubspot, args.account_id, scope);
  const requested = {
    body: args.body,
    timestampMs: args.timestamp !== undefined ? Date.parse(args.timestamp) : undefined,
  };
  const read = await readNotes(hubspot, ids, scope, (note) =>
    isMarkedNote(
      { body: note.properties.hs_note_body, timestampMs: epochMsOf(note.properties.hs_timestamp) },
      requested,
      key,
    ),
  );
  const marked = read.match;
  if (marked) {
    const timestamp =
      isoOf(marked.properties.hs_timestamp) ?? isoOf(marked.createdAt) ?? isoOf(args.timestamp);
    if (timestamp === null)
      throw new ToolError("UPSTREAM_CONTRACT_VIOLATION", `HubSpot note ${marked.id} has no timestamp`);
    return resultOf(args, marked.id, timestamp);
  }
  if (read.unread.length > 0) {
    throw new ToolError(
      "UPSTREAM_UNAVAILABLE",
      `HubSpot did not return ${read.unread.length} of the account's ${ids.length} notes; cannot tell whether the earlier attempt wrote one`,
      { upstream: { system: "hubspot" }, details: { unreadNoteIds: read.unread.slice(0, 10) } },
    );
  }
  return null;
}
