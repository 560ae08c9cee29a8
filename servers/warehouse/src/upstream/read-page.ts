import { ToolError } from "@gtm-mcp/tool-kit/errors";
import type { CallScope } from "@gtm-mcp/tool-kit/upstream";
import type { ColumnSpec } from "../catalog/catalog-schema.js";
import type { Snowflake } from "./client.js";
import { type ClippedCell, clipRow } from "./clip-row.js";
import { convertCell } from "./convert-cell.js";
import type { FinishedStatement } from "./run-statement.js";
import type { RowType } from "./schemas.js";
import { getStatement } from "./statements.js";

/** Bounds of one page of rows. */
export interface PageLimits {
  /** Most rows in a page (the catalog entry's `row_limit`). */
  rowLimit: number;
  /** Most characters of row JSON in a page (kept well below a model's tool-output limit). */
  charBudget: number;
}

/** One page of a stored result. */
export interface Page {
  rows: Array<Record<string, unknown>>;
  /** Index of the page's first row in the whole result. */
  offset: number;
  totalRows: number;
  /** Where the next page starts, when rows are left. */
  nextOffset?: number;
  truncatedBy?: "row_limit" | "char_budget";
  /** Cells cut to fit the budget, with the index of their row in the whole result. */
  clipped?: Array<ClippedCell & { row: number }>;
}

/**
 * Reads the rows `[offset, …)` of a finished statement's stored result, converting each cell
 * by its `rowType` and keying it by the catalog's column names, until the row limit or the
 * character budget is reached. The budget holds from the first row: a row that does not fit
 * an empty page is clipped to fit (see {@link clipRow}) and its cells named in `clipped`, so
 * a page always holds a row (a cursor always moves on) and never exceeds the budget. Partitions
 * are fetched as the page needs them (`?partition=N`) and merged; nothing is executed again.
 *
 * @throws ToolError UPSTREAM_CONTRACT_VIOLATION when a declared column is missing from the
 * result (a catalog bug), and what the client throws while fetching a partition.
 */
export async function readPage(
  sf: Snowflake,
  finished: FinishedStatement,
  columns: readonly ColumnSpec[],
  offset: number,
  limits: PageLimits,
  scope: CallScope,
): Promise<Page> {
  const { meta } = finished;
  const picks = pickColumns(meta.rowType, columns);
  const partitions = meta.partitionInfo?.length
    ? meta.partitionInfo.map((p) => p.rowCount)
    : [finished.data.length];
  const totalRows = partitions.reduce((sum, n) => sum + n, 0);
  const rows: Array<Record<string, unknown>> = [];
  const clipped: NonNullable<Page["clipped"]> = [];
  let chars = 2;
  let position = offset;
  let start = 0;
  for (let partition = 0; partition < partitions.length && position < totalRows; partition += 1) {
    const count = partitions[partition]!;
    if (position >= start + count) {
      start += count;
      continue;
    }
    // Full already: the next partition is not fetched just to find that out.
    if (rows.length >= limits.rowLimit) return page("row_limit");
    const data =
      partition === 0 ? finished.data : await fetchPartition(sf, finished.handle, partition, scope);
    for (let i = position - start; i < data.length; i += 1) {
      let row = toRow(data[i]!, picks);
      let size = JSON.stringify(row).length + 1;
      if (rows.length >= limits.rowLimit) return page("row_limit");
      if (chars + size > limits.charBudget) {
        if (rows.length > 0) return page("char_budget");
        const cut = clipRow(row, columns, limits.charBudget - chars - 1);
        row = cut.row;
        size = JSON.stringify(row).length + 1;
        for (const cell of cut.clipped) clipped.push({ ...cell, row: position });
      }
      rows.push(row);
      chars += size;
      position += 1;
    }
    start += count;
  }
  return page(undefined);

  function page(truncatedBy: Page["truncatedBy"]): Page {
    const result: Page = { rows, offset, totalRows, ...(clipped.length > 0 ? { clipped } : {}) };
    if (truncatedBy !== undefined && position < totalRows) {
      result.nextOffset = position;
      result.truncatedBy = truncatedBy;
    }
    return result;
  }
}

async function fetchPartition(
  sf: Snowflake,
  handle: string,
  partition: number,
  scope: CallScope,
): Promise<Array<Array<string | null>>> {
  const state = await getStatement(sf, handle, scope, partition);
  if (!state.done) {
    throw new ToolError(
      "UPSTREAM_CONTRACT_VIOLATION",
      `Partition ${partition} of a finished result answered 202`,
      {
        upstream: { system: "snowflake" },
      },
    );
  }
  return state.data;
}

interface Pick {
  name: string;
  index: number;
  rowType: RowType;
}

function pickColumns(rowType: readonly RowType[], columns: readonly ColumnSpec[]): Pick[] {
  return columns.map((column) => {
    const index = rowType.findIndex((r) => r.name.toLowerCase() === column.name);
    if (index < 0) {
      throw new ToolError(
        "UPSTREAM_CONTRACT_VIOLATION",
        `The result has no column ${column.name.toUpperCase()} although the catalog declares it`,
        { upstream: { system: "snowflake" }, details: { columns: rowType.map((r) => r.name).slice(0, 50) } },
      );
    }
    return { name: column.name, index, rowType: rowType[index]! };
  });
}

function toRow(cells: ReadonlyArray<string | null>, picks: readonly Pick[]): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const pick of picks) row[pick.name] = convertCell(pick.rowType, cells[pick.index] ?? null);
  return row;
}
