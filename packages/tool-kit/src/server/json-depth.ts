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
