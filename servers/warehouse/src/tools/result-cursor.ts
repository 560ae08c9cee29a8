import { createHash } from "node:crypto";
import { ToolError } from "@gtm-mcp/tool-kit/errors";

/** What a cursor carries: the query, the stored result's handle, where to go on, and the arguments' digest. */
export interface CursorState {
  query: string;
  handle: string;
  offset: number;
  args: string;
}

const HANDLE = /^[0-9a-zA-Z-]{8,64}$/;

/**
 * A digest of a call's arguments (without `cursor`): a cursor only continues the call it came
 * from, so the same arguments must come with it.
 */
export function argsDigest(args: Record<string, unknown>): string {
  const canonical = JSON.stringify(
    Object.keys(args)
      .filter((key) => key !== "cursor" && args[key] !== undefined)
      .sort()
      .map((key) => [key, args[key]]),
  );
  return createHash("sha256").update(canonical).digest("base64url").slice(0, 16);
}

/** An opaque cursor (base64url JSON). */
export function encodeCursor(state: CursorState): string {
  return Buffer.from(
    JSON.stringify({ v: 1, q: state.query, h: state.handle, o: state.offset, a: state.args }),
  ).toString("base64url");
}

/**
 * Reads a cursor given back by the model.
 *
 * @throws ToolError INVALID_INPUT (field `cursor`) when it is malformed, belongs to another
 * query, or came with different arguments.
 */
export function decodeCursor(cursor: string, query: string, args: string): CursorState {
  let raw: { v?: unknown; q?: unknown; h?: unknown; o?: unknown; a?: unknown };
  try {
    raw = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw invalid("it is not a cursor this server returned");
  }
  if (
    raw?.v !== 1 ||
    typeof raw.q !== "string" ||
    typeof raw.h !== "string" ||
    !HANDLE.test(raw.h) ||
    typeof raw.o !== "number" ||
    !Number.isSafeInteger(raw.o) ||
    raw.o < 0 ||
    typeof raw.a !== "string"
  ) {
    throw invalid("it is not a cursor this server returned");
  }
  if (raw.q !== query) throw invalid(`it belongs to ${raw.q}, not ${query}`);
  if (raw.a !== args) throw invalid("pass the same arguments as the call that returned it");
  return { query: raw.q, handle: raw.h, offset: raw.o, args: raw.a };
}

function invalid(why: string): ToolError {
  return new ToolError("INVALID_INPUT", `cursor: ${why}`, { field: "cursor" });
}
