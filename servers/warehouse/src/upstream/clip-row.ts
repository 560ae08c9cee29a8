import type { ColumnSpec } from "../catalog/catalog-schema.js";

/** A cell cut to fit the size budget. */
export interface ClippedCell {
  column: string;
  /** The value's whole length, in characters (of its JSON text for a `json` column). */
  totalChars: number;
}

/** What ends a clipped text: the model sees it was cut and how long the value is. */
export function clipMarker(totalChars: number): string {
  return `… [clipped: ${totalChars} characters in all]`;
}

/** Column types whose value stays a string once clipped (their output schema is a string, or any JSON). */
const TEXT_TYPES: ReadonlySet<ColumnSpec["type"]> = new Set([
  "string",
  "time",
  "timestamp",
  "binary",
  "json",
]);

/**
 * A row cut down so its JSON takes at most `budget` characters: the largest cells share what
 * the others leave (each small cell is kept whole), a text is cut to its share and ends with
 * {@link clipMarker}, a value of another type too large for its share (a 2 MB decimal text) is
 * null. Returns the row unchanged, with no clipped cells, when it fits.
 */
export function clipRow(
  row: Record<string, unknown>,
  columns: readonly ColumnSpec[],
  budget: number,
): { row: Record<string, unknown>; clipped: ClippedCell[] } {
  if (JSON.stringify(row).length <= budget) return { row, clipped: [] };
  // The row with every value null: keys, quotes, commas; each null is 4 characters of it.
  const frame = JSON.stringify(Object.fromEntries(columns.map((c) => [c.name, null]))).length;
  let left = budget - frame + 4 * columns.length;
  const cells = columns
    .map((column) => ({ column, size: JSON.stringify(row[column.name] ?? null).length }))
    .sort((a, b) => a.size - b.size);
  const out: Record<string, unknown> = { ...row };
  const clipped: ClippedCell[] = [];
  cells.forEach(({ column, size }, i) => {
    // Water-filling: an equal share of what is left, among the cells not yet placed.
    const share = Math.floor(left / (cells.length - i));
    if (size <= share) {
      left -= size;
      return;
    }
    const value = row[column.name];
    const text = typeof value === "string" ? value : JSON.stringify(value);
    clipped.push({ column: column.name, totalChars: text.length });
    out[column.name] = TEXT_TYPES.has(column.type) ? cutText(text, share) : null;
    left -= JSON.stringify(out[column.name]).length;
  });
  // Order of the catalog, not of sizes.
  clipped.sort(
    (a, b) => columns.findIndex((c) => c.name === a.column) - columns.findIndex((c) => c.name === b.column),
  );
  return { row: out, clipped };
}

/** `text` cut so that, with its marker, its JSON string takes at most `max` characters (null when nothing fits). */
function cutText(text: string, max: number): string | null {
  const marker = clipMarker(text.length);
  const room = max - JSON.stringify(marker).length;
  if (room <= 0) return null;
  let n = Math.min(text.length, room);
  for (;;) {
    // Not between the halves of a surrogate pair.
    if (n > 0 && isHighSurrogate(text.charCodeAt(n - 1))) n -= 1;
    const escaped = JSON.stringify(text.slice(0, n)).length - 2;
    if (escaped <= room) break;
    // Escapes (quotes, control characters) take more than one character: shrink in proportion.
    n = Math.min(n - 1, Math.floor((n * room) / escaped));
  }
  return `${text.slice(0, n)}${marker}`;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
