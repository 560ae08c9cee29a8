import { createHash } from "node:crypto";
import { ToolError } from "@gtm-mcp/tool-kit/errors";
import type { StateSeal } from "@gtm-mcp/tool-kit/tools";

/** What a cursor carries: the query, the stored result's handle, where to go on, and the arguments' digest. */
export interface CursorState {
  query: string;
  handle: string;
  offset: number;
  args: string;
}

/** What a cursor is sealed for (with the query's name: a cursor of one tool is refused by another). */
const PURPOSE = "warehouse.cursor";

/**
 * How long a cursor is accepted: Snowflake keeps a statement's result for 24 hours, so a cursor
 * expires an hour before its result can, and an old cursor is refused by us, clearly.
 */
export const CURSOR_TTL_MS = 23 * 3_600_000;

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

/**
 * A cursor sealed with the tool-kit's state seal (HMAC-SHA256 under `GTM_STATE_SECRET`) over
 * the statement handle, query, argument digest, offset and expiry: the model can carry it
 * back but not forge it, alter it, or move it to another statement or query.
 */
export function encodeCursor(seal: StateSeal, state: CursorState, now?: number): string {
  return seal.seal(
    `${PURPOSE}:${state.query}`,
    { q: state.query, h: state.handle, o: state.offset, a: state.args },
    CURSOR_TTL_MS,
    now,
  );
}

/**
 * Reads a cursor given back by the model.
 *
 * @throws ToolError INVALID_INPUT (field `cursor`) when it is not one this server sealed (forged,
 * altered, unsigned), has expired, belongs to another query, or came with different arguments.
 */
export function decodeCursor(seal: StateSeal, cursor: string, query: string, args: string): CursorState {
  const raw = seal.open(`${PURPOSE}:${query}`, cursor) as
    | { q?: unknown; h?: unknown; o?: unknown; a?: unknown }
    | null
    | undefined;
  if (
    raw === undefined ||
    raw === null ||
    typeof raw !== "object" ||
    raw.q !== query ||
    typeof raw.h !== "string" ||
    !HANDLE.test(raw.h) ||
    typeof raw.o !== "number" ||
    !Number.isSafeInteger(raw.o) ||
    raw.o < 0 ||
    typeof raw.a !== "string"
  ) {
    throw invalid(
      `it is not a cursor ${query} returned, it was altered, or it has expired (a cursor lasts ${CURSOR_TTL_MS / 3_600_000} h); run the query again without cursor`,
    );
  }
  if (raw.a !== args) throw invalid("pass the same arguments as the call that returned it");
  return { query: raw.q, handle: raw.h, offset: raw.o, args: raw.a };
}

function invalid(why: string): ToolError {
  return new ToolError("INVALID_INPUT", `cursor: ${why}`, { field: "cursor" });
}
