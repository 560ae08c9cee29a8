import { createHash } from "node:crypto";

/** HubSpot's limit on `hs_note_body` (vendors.md), and so the longest body a caller may give. */
export const NOTE_BODY_LIMIT = 65_536;

const REF_HEX = 24;
const PREFIX = "gtm-mcp ref ";

/**
 * The reference stamped on a note: 24 hex characters of the SHA-256 of the write's
 * idempotency key. Deterministic, so a later attempt of the same write can find the note.
 */
export function noteRef(idempotencyKey: string): string {
  return createHash("sha256").update(idempotencyKey).digest("hex").slice(0, REF_HEX);
}

/** The marker appended to a note body: `\n\n[gtm-mcp ref <24 hex>]`. */
export function noteMarker(idempotencyKey: string): string {
  return `\n\n[${PREFIX}${noteRef(idempotencyKey)}]`;
}

/** The marker's length (the same for every key). */
export const NOTE_MARKER_LENGTH = noteMarker("").length;

/**
 * The millisecond part (0–999) stamped into `hs_timestamp` of a note whose body leaves no
 * room for the marker: derived from the key, so a later attempt can recognise the note.
 */
export function timestampSignature(idempotencyKey: string): number {
  return Number.parseInt(noteRef(idempotencyKey).slice(0, 8), 16) % 1000;
}

/** What is sent to HubSpot for one note: the body and `hs_timestamp` (ISO 8601), marked. */
export interface StampedNote {
  body: string;
  timestamp: string;
}

/**
 * Marks a note so that an attempt whose outcome was lost can be found again. The marker is
 * appended to the body when both fit HubSpot's limit. Otherwise the user's text is kept
 * whole and the marker goes into the millisecond part of the timestamp instead: such a
 * note's time is shifted by less than one second.
 */
export function stampNote(body: string, timestampMs: number, idempotencyKey: string): StampedNote {
  if (fitsMarker(body, idempotencyKey)) {
    return { body: `${body}${noteMarker(idempotencyKey)}`, timestamp: new Date(timestampMs).toISOString() };
  }
  const second = Math.floor(timestampMs / 1000) * 1000;
  return { body, timestamp: new Date(second + timestampSignature(idempotencyKey)).toISOString() };
}

function fitsMarker(body: string, idempotencyKey: string): boolean {
  return body.length + noteMarker(idempotencyKey).length <= NOTE_BODY_LIMIT;
}

/**
 * Whether a stored note body carries the marker of `idempotencyKey`. Matches the reference,
 * not the surrounding newlines: HubSpot may store the body as HTML.
 */
export function carriesMarker(body: string | null | undefined, idempotencyKey: string): boolean {
  return typeof body === "string" && body.includes(`${PREFIX}${noteRef(idempotencyKey)}`);
}

/** A stored note as reconciling sees it. */
export interface StoredNote {
  body: string | null | undefined;
  /** Epoch ms of its `hs_timestamp`, or null. */
  timestampMs: number | null;
}

/** What the write asked for: the caller's body and, when given, the activity time. */
export interface RequestedNote {
  body: string;
  /** Epoch ms of the caller's `timestamp`; undefined when it defaulted to "now" (which differs per attempt). */
  timestampMs?: number | undefined;
}

/**
 * Whether `stored` is the note an attempt of this write created: its body carries the
 * marker, or (for a body too long for it) the body is exactly the requested one and the
 * timestamp carries the key's millisecond signature (and, when the caller gave a time, the
 * same whole second: this makes a chance match on the signature alone much less likely).
 */
export function isMarkedNote(stored: StoredNote, requested: RequestedNote, idempotencyKey: string): boolean {
  if (carriesMarker(stored.body, idempotencyKey)) return true;
  // A body that fits with the marker was sent with it: the signature alone never identifies one.
  if (fitsMarker(requested.body, idempotencyKey)) return false;
  if (stored.body !== requested.body || stored.timestampMs === null) return false;
  const ms = ((stored.timestampMs % 1000) + 1000) % 1000;
  if (ms !== timestampSignature(idempotencyKey)) return false;
  return (
    requested.timestampMs === undefined ||
    Math.floor(stored.timestampMs / 1000) === Math.floor(requested.timestampMs / 1000)
  );
}
