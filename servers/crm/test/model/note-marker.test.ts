import { describe, expect, it } from "vitest";
import {
  isMarkedNote,
  NOTE_BODY_LIMIT,
  NOTE_MARKER_LENGTH,
  noteMarker,
  stampNote,
  timestampSignature,
} from "../../src/model/note-marker.js";

const KEY = "log_activity_note:abc";
const AT = Date.parse("2026-11-20T15:30:00.250Z");

describe("note marker", () => {
  it("appends the marker while body and marker fit, leaving the timestamp as given", () => {
    const body = "x".repeat(NOTE_BODY_LIMIT - NOTE_MARKER_LENGTH);
    expect(stampNote(body, AT, KEY)).toEqual({
      body: `${body}${noteMarker(KEY)}`,
      timestamp: "2026-11-20T15:30:00.250Z",
    });
  });

  it("keeps a longer body whole and sets the timestamp's milliseconds from the key (same second)", () => {
    const body = "x".repeat(NOTE_BODY_LIMIT - NOTE_MARKER_LENGTH + 1);
    const stamped = stampNote(body, AT, KEY);
    expect(stamped.body).toBe(body);
    const ms = Date.parse(stamped.timestamp);
    expect(Math.floor(ms / 1000)).toBe(Math.floor(AT / 1000));
    expect(ms % 1000).toBe(timestampSignature(KEY));
    expect(timestampSignature(KEY)).toBeGreaterThanOrEqual(0);
    expect(timestampSignature(KEY)).toBeLessThan(1000);
  });

  it("recognises a note by its marker, or a long body by exact text and signature", () => {
    const short = "hello";
    expect(
      isMarkedNote({ body: `<p>${short}${noteMarker(KEY)}</p>`, timestampMs: null }, { body: short }, KEY),
    ).toBe(true);
    expect(isMarkedNote({ body: short, timestampMs: AT }, { body: short }, KEY)).toBe(false);

    const long = "y".repeat(NOTE_BODY_LIMIT);
    const ms = Date.parse(stampNote(long, AT, KEY).timestamp);
    expect(isMarkedNote({ body: long, timestampMs: ms }, { body: long, timestampMs: AT }, KEY)).toBe(true);
    // Defaulted to "now" on each attempt: only the milliseconds can be compared.
    expect(isMarkedNote({ body: long, timestampMs: ms + 60_000 }, { body: long }, KEY)).toBe(true);
    expect(isMarkedNote({ body: long, timestampMs: ms + 60_000 }, { body: long, timestampMs: AT }, KEY)).toBe(
      false,
    );
    expect(isMarkedNote({ body: long, timestampMs: ms + 1 }, { body: long }, KEY)).toBe(false);
    expect(isMarkedNote({ body: `${long.slice(1)}z`, timestampMs: ms }, { body: long }, KEY)).toBe(false);
    // Another write's key (whose signature differs) does not claim the note.
    expect(timestampSignature("another key")).not.toBe(timestampSignature(KEY));
    expect(isMarkedNote({ body: long, timestampMs: ms }, { body: long }, "another key")).toBe(false);
  });
});
