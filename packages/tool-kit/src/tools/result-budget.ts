/**
 * Default budget of one successful result: the most characters of its JSON text (64 KiB).
 * The MCP answer carries that JSON twice (as text and as `structuredContent`), so its bytes
 * stay near twice this, whatever a vendor or a stranger put in the data.
 */
export const DEFAULT_RESULT_BUDGET_CHARS = 64 * 1024;

/** A clipped string ends with this, stating the original length: `…[clipped: 104,857 chars]`. */
export function clipMarker(length: number): string {
  return `…[clipped: ${String(length).replace(/\B(?=(\d{3})+$)/g, ",")} chars]`;
}

/** The shortest marker (of a one-digit length): a string no longer than the cap plus this is never clipped. */
const MARKER_MIN = clipMarker(0).length;

/** What {@link fitResultBudget} did. */
export type FittedResult =
  /** Within the budget: as given, or with its longest strings clipped (`clippedFields` of them). */
  | { fits: true; structured: Record<string, unknown>; clippedFields: number; chars: number }
  /** Over the budget even with every string clipped to nothing but its marker. */
  | { fits: false; chars: number };

/**
 * A result whose JSON text is at most `budgetChars` characters. A result within it is
 * returned as it is. Otherwise its longest string values (never keys, numbers or the
 * structure) are clipped to one common length, the longest that fits (found by halving),
 * each ending with {@link clipMarker} stating how long it was. Strings shorter than their
 * marker would make them are left whole, so a clipped string is always shorter than before
 * (a schema's `max` still holds). When even clipping every string cannot fit (thousands of
 * items, huge keys), `fits: false`: the caller answers an error, never an unbounded result.
 * Top-level fields named in `keep` (the pipeline's `idempotency_key`) are never clipped.
 * Scrub before fitting: a clip that cuts a secret leaves a prefix no scrubber recognises.
 */
export function fitResultBudget(
  structured: Record<string, unknown>,
  budgetChars: number,
  keep: readonly string[] = [],
): FittedResult {
  const whole = JSON.stringify(structured).length;
  if (whole <= budgetChars) return { fits: true, structured, clippedFields: 0, chars: whole };
  // Clipping every string as far as it goes is the least a result can be made.
  const least = clipTop(structured, 0, { clipped: 0 }, keep);
  const leastChars = JSON.stringify(least).length;
  if (leastChars > budgetChars) return { fits: false, chars: leastChars };
  // No string longer than the budget can be kept whole: start the search there.
  let best: { structured: Record<string, unknown>; clippedFields: number; chars: number } | undefined;
  let lo = 0;
  let hi = budgetChars;
  while (lo <= hi) {
    const cap = Math.floor((lo + hi) / 2);
    const counter = { clipped: 0 };
    const candidate = clipTop(structured, cap, counter, keep);
    const chars = JSON.stringify(candidate).length;
    if (chars <= budgetChars) {
      best = { structured: candidate, clippedFields: counter.clipped, chars };
      lo = cap + 1;
    } else {
      hi = cap - 1;
    }
  }
  return best ? { fits: true, ...best } : { fits: false, chars: leastChars };
}

function clipTop(
  structured: Record<string, unknown>,
  cap: number,
  counter: { clipped: number },
  keep: readonly string[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(structured))
    out[key] = keep.includes(key) ? item : clipStrings(item, cap, counter);
  return out;
}

/** A copy of `value` with every string longer than `cap` (plus its marker) clipped to `cap` characters. */
function clipStrings(value: unknown, cap: number, counter: { clipped: number }): unknown {
  if (typeof value === "string") {
    if (value.length <= cap + MARKER_MIN) return value;
    const marker = clipMarker(value.length);
    if (value.length <= cap + marker.length) return value;
    counter.clipped += 1;
    // Never split a surrogate pair.
    const end = cap > 0 && isHighSurrogate(value.charCodeAt(cap - 1)) ? cap - 1 : cap;
    return `${value.slice(0, end)}${marker}`;
  }
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((item) => clipStrings(item, cap, counter));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = clipStrings(item, cap, counter);
  return out;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
