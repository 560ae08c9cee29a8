import { isToolError } from "@gtm-mcp/tool-kit/errors";
import type { CallScope } from "@gtm-mcp/tool-kit/upstream";
import { compareIdsDescending } from "../model/record-ids.js";
import type { HubSpot } from "./client.js";
import { getNote, inChunks, searchNotesAmong } from "./notes.js";
import type { HubSpotObject } from "./schemas.js";

/** The most notes one tool call reads one by one (search misses them); keeps a call inside its deadline. */
export const MAX_NOTE_GETS = 100;
/** Note reads in flight at once: quicker than one by one, gentle on HubSpot's per-second limit. */
const GET_CONCURRENCY = 4;

/** What {@link readNotes} could read. */
export interface NotesRead {
  /** The notes read (the match, when found, is among them). */
  notes: HubSpotObject[];
  /** Ids that could not be read: a 404, a failed read, or over the {@link MAX_NOTE_GETS} budget. */
  unread: string[];
  /** The first note `until` accepted; reading stopped there. */
  match: HubSpotObject | null;
}

/**
 * Reads the notes `ids`, newest (largest id) first. Each chunk of 100 is searched with
 * `hs_object_id IN` (quick, but vendors.md does not promise that filter), and each id the
 * search did not return is read by id, at most {@link MAX_NOTE_GETS} per call. A note that
 * still cannot be read is reported in `unread`, never silently left out. When `until` is
 * given, reading stops at the first note it accepts.
 *
 * @throws ToolError RATE_LIMITED, QUOTA_EXHAUSTED, PERMISSION_DENIED and the like, which
 *   reading on cannot cure.
 */
export async function readNotes(
  hubspot: HubSpot,
  ids: readonly string[],
  scope: CallScope,
  until?: (note: HubSpotObject) => boolean,
): Promise<NotesRead> {
  const read: NotesRead = { notes: [], unread: [], match: null };
  let searchWorks = true;
  let getsLeft = MAX_NOTE_GETS;
  let getsFailed = false;
  const take = (note: HubSpotObject): boolean => {
    read.notes.push(note);
    if (until?.(note)) read.match = note;
    return read.match !== null;
  };

  for (const chunk of inChunks([...new Set(ids)].sort(compareIdsDescending))) {
    let searched: HubSpotObject[] = [];
    if (searchWorks) {
      try {
        searched = await searchNotesAmong(hubspot, chunk, scope);
      } catch (error) {
        // A HubSpot that refuses the filter (or has no note search) is read by id instead.
        if (!searchUnsupported(error)) throw error;
        searchWorks = false;
      }
    }
    const byId = new Map(searched.map((note) => [note.id, note]));
    const missing: string[] = [];
    // In id order, newest first, so a reconcile stops at the most likely note.
    for (const id of chunk) {
      const note = byId.get(id);
      if (note === undefined) missing.push(id);
      else if (take(note)) return read;
    }
    for (let i = 0; i < missing.length; ) {
      const batch = missing.slice(i, i + Math.min(GET_CONCURRENCY, getsLeft));
      if (getsFailed || batch.length === 0) {
        // After a failed read the rest would most likely fail too, each after its retries.
        read.unread.push(...missing.slice(i));
        break;
      }
      i += batch.length;
      getsLeft -= batch.length;
      const answers = await Promise.allSettled(batch.map((id) => getNote(hubspot, id, scope)));
      for (const [j, answer] of answers.entries()) {
        if (answer.status === "fulfilled" && answer.value !== null) {
          if (take(answer.value)) return read;
        } else {
          if (answer.status === "rejected") {
            if (!readFailure(answer.reason)) throw answer.reason;
            getsFailed = true;
          }
          read.unread.push(batch[j]!);
        }
      }
    }
  }
  return read;
}

/** A search failure that means "this HubSpot cannot search notes by id", not "HubSpot is down". */
function searchUnsupported(error: unknown): boolean {
  return (
    isToolError(error) &&
    (error.code === "UPSTREAM_REJECTED" || error.code === "NOT_FOUND" || error.upstream?.status === 404)
  );
}

/** A note read that failed for that note (or for now); anything else is the caller's answer. */
function readFailure(error: unknown): boolean {
  return (
    isToolError(error) &&
    ["UPSTREAM_UNAVAILABLE", "UPSTREAM_TIMEOUT", "UPSTREAM_REJECTED", "UPSTREAM_CONTRACT_VIOLATION"].includes(
      error.code,
    )
  );
}
