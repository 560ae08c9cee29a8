import { createHash } from "node:crypto";

/** HubSpot's limit on `hs_note_body` (vendors.md). */
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

/** The marker's length (the same for every key), so a body plus marker fits the limit. */
export const NOTE_MARKER_LENGTH = noteMarker("").length;

/** The longest body a caller may give. */
export const NOTE_BODY_MAX = NOTE_BODY_LIMIT - NOTE_MARKER_LENGTH;

/**
 * Whether a stored note body carries the marker of `idempotencyKey`. Matches the reference,
 * not the surrounding newlines: HubSpot may store the body as HTML.
 */
export function carriesMarker(body: string | null | undefined, idempotencyKey: string): boolean {
  return typeof body === "string" && body.includes(`${PREFIX}${noteRef(idempotencyKey)}`);
}
