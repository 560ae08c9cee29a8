import type { Scrubber } from "../logging/index.js";

/**
 * A successful result with every configured secret value replaced in its strings (and
 * object keys), wherever a vendor echoed it or a hostile record carries it. Only values are
 * scrubbed, not keys by name, so the result keeps its declared shape: a string stays a string.
 */
export function scrubResult(
  structured: Record<string, unknown>,
  scrubber: Scrubber,
): Record<string, unknown> {
  return walk(structured, scrubber) as Record<string, unknown>;
}

function walk(value: unknown, scrubber: Scrubber): unknown {
  if (typeof value === "string") return scrubber.text(value);
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((item) => walk(item, scrubber));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[scrubber.text(key)] = walk(item, scrubber);
  return out;
}
