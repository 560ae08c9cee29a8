import type { RowType } from "./schemas.js";

/** A converted cell: what the model sees. */
export type CellValue = string | number | boolean | null | unknown;

const NANOS = 1_000_000_000n;
const DAY_MS = 86_400_000;

/**
 * Converts one jsonv2 cell (a string or null) by its column's `rowType`, per the encodings in
 * vendors.md: FIXED → number (a decimal string when beyond ±2^53, so no digit is lost);
 * REAL → number (`NaN`/`inf` stay text: JSON has no such numbers); BOOLEAN → boolean;
 * DATE (days since 1970-01-01) → `YYYY-MM-DD`; TIME → `HH:MM:SS[.fff]`; TIMESTAMP_NTZ →
 * ISO 8601 without an offset (it has none); TIMESTAMP_LTZ → ISO 8601 in UTC (`Z`);
 * TIMESTAMP_TZ (`<epoch> <offset+1440>`) → ISO 8601 with its own offset; BINARY → lower-case
 * hex; VARIANT/OBJECT/ARRAY → parsed JSON. Anything else stays the text Snowflake sent.
 */
export function convertCell(column: RowType, cell: string | null): CellValue {
  if (cell === null) return null;
  switch (column.type.toUpperCase()) {
    case "FIXED":
    case "NUMBER":
      return fixed(cell);
    case "REAL":
    case "FLOAT":
    case "DOUBLE": {
      const value = Number(cell);
      return Number.isFinite(value) ? value : cell;
    }
    case "BOOLEAN":
      return cell === "true" || cell === "1" || cell === "TRUE";
    case "DATE":
      return new Date(Number(cell) * DAY_MS).toISOString().slice(0, 10);
    case "TIME":
      return timeOfDay(cell);
    case "TIMESTAMP_NTZ":
      return timestamp(cell, undefined);
    case "TIMESTAMP_LTZ":
      return timestamp(cell, 0);
    case "TIMESTAMP_TZ": {
      const [epoch = "", offset] = cell.trim().split(/\s+/);
      return timestamp(epoch, offset === undefined ? 0 : Number(offset) - 1440);
    }
    case "BINARY":
      return cell.toLowerCase();
    case "VARIANT":
    case "OBJECT":
    case "ARRAY":
      try {
        return JSON.parse(cell) as unknown;
      } catch {
        return cell;
      }
    default:
      return cell;
  }
}

function fixed(cell: string): number | string {
  const value = Number(cell);
  // Beyond 2^53 a number cannot hold every digit: keep Snowflake's exact text.
  if (!Number.isFinite(value) || Math.abs(value) > Number.MAX_SAFE_INTEGER) return cell;
  return value;
}

/** `"<seconds>.<9 digits>"` (possibly negative) → whole seconds (floored) and nanoseconds. */
function splitEpoch(text: string): { seconds: bigint; nanos: bigint } {
  const negative = text.startsWith("-");
  const [whole = "0", fraction = ""] = text.replace(/^[-+]/, "").split(".");
  let total = BigInt(whole) * NANOS + BigInt(fraction.padEnd(9, "0").slice(0, 9) || "0");
  if (negative) total = -total;
  let seconds = total / NANOS;
  let nanos = total % NANOS;
  if (nanos < 0n) {
    nanos += NANOS;
    seconds -= 1n;
  }
  return { seconds, nanos };
}

/** Fraction digits: at least milliseconds, more only when they are not zero. */
function fractionOf(nanos: bigint): string {
  const digits = nanos.toString().padStart(9, "0");
  if (digits.slice(3) === "000000") return digits.slice(0, 3);
  if (digits.slice(6) === "000") return digits.slice(0, 6);
  return digits;
}

function timestamp(epoch: string, offsetMinutes: number | undefined): string {
  const { seconds, nanos } = splitEpoch(epoch);
  const shiftMs = (offsetMinutes ?? 0) * 60_000;
  const local = new Date(Number(seconds) * 1000 + shiftMs).toISOString().slice(0, 19);
  const base = `${local}.${fractionOf(nanos)}`;
  if (offsetMinutes === undefined) return base;
  if (offsetMinutes === 0) return `${base}Z`;
  const sign = offsetMinutes < 0 ? "-" : "+";
  const abs = Math.abs(offsetMinutes);
  return `${base}${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}

function timeOfDay(cell: string): string {
  const { seconds, nanos } = splitEpoch(cell);
  return `${new Date(Number(seconds) * 1000).toISOString().slice(11, 19)}.${fractionOf(nanos)}`;
}
