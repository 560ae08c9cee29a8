/** Deepest JSON nesting a request may have; MCP messages need a handful of levels. */
export const MAX_JSON_DEPTH = 64;

/**
 * Whether the JSON text in `bytes` nests deeper than `maxDepth` arrays and objects, found by
 * one pass over the bytes (strings and their escapes skipped) with a counter, never by
 * recursion: a body of `[` × 100,000 costs a loop, not a stack overflow. Text that is not
 * JSON at all is left to the parser.
 */
export function nestsDeeperThan(bytes: Uint8Array | string, maxDepth: number = MAX_JSON_DEPTH): boolean {
  const text = typeof bytes === "string" ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  const at = (i: number) => (typeof text === "string" ? text.charCodeAt(i) : (text[i] as number));
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = at(i);
    if (inString) {
      if (c === 0x5c)
        i += 1; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      depth += 1;
      if (depth > maxDepth) return true;
    } else if (c === 0x5d || c === 0x7d) depth -= 1;
  }
  return false;
}

/** Longest id text read by {@link topLevelId}: a JSON-RPC id is a short string or a number. */
const MAX_ID_CHARS = 256;

/**
 * The top-level `"id"` of the JSON-RPC message in `text` (a string or a number), read by one
 * pass with a depth counter (strings and their escapes skipped), never by parsing or
 * recursion: a message refused for its nesting can still be answered with its own id, so
 * the client's request ends at once instead of at its timeout. `null` when the text is not
 * an object, has no readable top-level id (absent, `null`, another type, longer than 256
 * characters), or the id is not valid JSON.
 */
export function topLevelId(text: string): string | number | null {
  let i = skipSpace(text, 0);
  if (text.charCodeAt(i) !== 0x7b) return null;
  let depth = 0;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      const end = stringEnd(text, i);
      if (end < 0) return null;
      // A key of the top-level object: a string at depth 1 followed by a colon.
      if (depth === 1 && end - i <= 16) {
        const colon = skipSpace(text, end + 1);
        if (text.charCodeAt(colon) === 0x3a && decode(text.slice(i, end + 1)) === "id")
          return idValue(text, skipSpace(text, colon + 1));
      }
      i = end;
    } else if (c === 0x5b || c === 0x7b) depth += 1;
    else if (c === 0x5d || c === 0x7d) {
      depth -= 1;
      if (depth === 0) return null;
    }
  }
  return null;
}

/** The id's value at `at`: a string or a number, else null. */
function idValue(text: string, at: number): string | number | null {
  const c = text.charCodeAt(at);
  if (c === 0x22) {
    const end = stringEnd(text, at);
    if (end < 0 || end - at > MAX_ID_CHARS) return null;
    const value = decode(text.slice(at, end + 1));
    return typeof value === "string" ? value : null;
  }
  const number = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(at, at + MAX_ID_CHARS));
  if (number === null) return null;
  const value = Number(number[0]);
  return Number.isFinite(value) ? value : null;
}

/** Index of the quote closing the string that opens at `start`, or -1. */
function stringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5c) i += 1;
    else if (c === 0x22) return i;
  }
  return -1;
}

function skipSpace(text: string, from: number): number {
  let i = from;
  while (i < text.length && /\s/.test(text[i] as string)) i += 1;
  return i;
}

function decode(json: string): unknown {
  try {
    return JSON.parse(json);
  } catch {
    return undefined;
  }
}
