/**
 * Renders rows as an aligned plain-text table: a header, a rule, one line per row. Columns
 * are as wide as their widest cell; the last column is not padded (no trailing spaces).
 */
export function renderTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  return `${[line(headers), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n")}\n`;
}

/** Renders `label: value` pairs with the values aligned. */
export function renderPairs(pairs: readonly (readonly [string, string])[]): string {
  const width = Math.max(...pairs.map(([label]) => label.length + 1));
  return `${pairs.map(([label, value]) => `${`${label}:`.padEnd(width)}  ${value}`).join("\n")}\n`;
}

/** An epoch-ms time as ISO 8601, or `-`. */
export function isoTime(ms: number | null | undefined): string {
  return ms === null || ms === undefined ? "-" : new Date(ms).toISOString();
}
