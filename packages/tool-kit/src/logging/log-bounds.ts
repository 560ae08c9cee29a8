/**
 * Size limits of one log line. A caller controls much of what is logged (argument names and
 * values, echoed vendor text), so every part of a line is bounded: a line stays readable,
 * cheap to write whole, and far below what a log shipper would cut.
 */
export const LOG_BOUNDS = {
  /** Longest key kept whole (an argument name is a key). */
  keyChars: 128,
  /** Longest string value kept whole. */
  stringChars: 4_096,
  /** Most keys kept of one object. */
  keys: 64,
  /** Most items kept of one array. */
  items: 64,
  /** Deepest nesting kept. */
  depth: 10,
  /** Longest finished line (characters); a longer one is replaced by a short notice. */
  lineChars: 64 * 1024,
} as const;

/** `text` cut to `max` characters, saying how long it was. */
export function cutText(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…(${text.length} chars)` : text;
}

/**
 * A copy of `value` within {@link LOG_BOUNDS}: long keys and strings cut (stating their
 * length), objects and arrays beyond their count abridged (stating how many were left out),
 * nesting beyond the depth replaced. Recursion stops at the depth bound, so a deeply nested
 * value costs no more than a shallow one.
 */
export function boundForLog(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return cutText(value, LOG_BOUNDS.stringChars);
  if (value === null || typeof value !== "object") return value;
  if (depth >= LOG_BOUNDS.depth) return "[…]";
  if (Array.isArray(value)) {
    const kept = value.slice(0, LOG_BOUNDS.items).map((item) => boundForLog(item, depth + 1));
    if (value.length > LOG_BOUNDS.items) kept.push(`…(${value.length - LOG_BOUNDS.items} more items)`);
    return kept;
  }
  const out: Record<string, unknown> = {};
  let count = 0;
  let total = 0;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    total += 1;
    if (count >= LOG_BOUNDS.keys) continue;
    count += 1;
    out[cutText(key, LOG_BOUNDS.keyChars)] = boundForLog((value as Record<string, unknown>)[key], depth + 1);
  }
  if (total > count) out["…"] = `${total - count} more keys`;
  return out;
}

/**
 * A finished JSON line within {@link LOG_BOUNDS.lineChars}: itself, or a short line keeping
 * its level, time and message that states how long the original was.
 */
export function boundLine(line: string): string {
  const body = line.endsWith("\n") ? line.slice(0, -1) : line;
  if (body.length <= LOG_BOUNDS.lineChars) return line;
  let parsed: { level?: unknown; time?: unknown; msg?: unknown } = {};
  try {
    parsed = JSON.parse(body) as typeof parsed;
  } catch {
    // Not JSON: keep nothing of it.
  }
  const text = (value: unknown, max: number) => (typeof value === "string" ? cutText(value, max) : undefined);
  return `${JSON.stringify({
    level: text(parsed.level, 16) ?? "warn",
    time: text(parsed.time, 40) ?? new Date().toISOString(),
    msg: `${text(parsed.msg, 512) ?? "log line"} (log line too long; cut)`,
    lineChars: body.length,
  })}\n`;
}
