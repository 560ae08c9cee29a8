import {
  BIGINT,
  BOOLEAN,
  DATE,
  DOUBLE,
  type DuckDBType,
  type DuckDBValue,
  dateValue,
  INTEGER,
  TIMESTAMP,
  timestampValue,
  VARCHAR,
} from "@duckdb/node-api";

/** One binding of the request: `{"1": {type: "TEXT", value: "x"}}`. */
export interface Binding {
  type?: string;
  value?: unknown;
}

/** A binding Snowflake would refuse (answered 422 / 400 by the caller). */
export class BindingError extends Error {}

/**
 * Positional bindings `"1"`, `"2"`, … → engine values for the statement's `?` placeholders, in
 * order. FIXED integers bind as INTEGER when they fit (so `CURRENT_DATE - ?` works) else
 * BIGINT; other FIXED and REAL as DOUBLE; DATE as days or ms since epoch or `YYYY-MM-DD`;
 * TIMESTAMP_* as epoch nanoseconds (Snowflake's binding form) or ISO text.
 *
 * @throws BindingError for a missing position, an unknown type or a value of the wrong form.
 */
export function toEngineValues(
  bindings: Record<string, Binding> | undefined,
  placeholders: number,
): { values: DuckDBValue[]; types: DuckDBType[] } {
  const values: DuckDBValue[] = [];
  const types: DuckDBType[] = [];
  const given = Object.keys(bindings ?? {}).length;
  if (given !== placeholders) {
    throw new BindingError(
      `Bind variable count mismatch: the statement has ${placeholders} placeholders, ${given} bindings were given`,
    );
  }
  for (let i = 1; i <= placeholders; i++) {
    const binding = bindings?.[String(i)];
    if (!binding) throw new BindingError(`Bind variable ? at position ${i} not set.`);
    const raw = binding.value;
    const text = raw === null || raw === undefined ? null : String(raw);
    const type = (binding.type ?? "TEXT").toUpperCase();
    if (text === null) {
      values.push(null);
      types.push(VARCHAR);
      continue;
    }
    switch (type) {
      case "TEXT":
        values.push(text);
        types.push(VARCHAR);
        break;
      case "FIXED": {
        if (!/^-?\d+(\.\d+)?$/.test(text))
          throw new BindingError(`Numeric value '${text}' is not recognized`);
        if (/^-?\d+$/.test(text)) {
          const n = BigInt(text);
          const small = n >= -2_147_483_648n && n <= 2_147_483_647n;
          values.push(small ? Number(n) : n);
          types.push(small ? INTEGER : BIGINT);
        } else {
          values.push(Number(text));
          types.push(DOUBLE);
        }
        break;
      }
      case "REAL":
        if (!Number.isFinite(Number(text)))
          throw new BindingError(`Numeric value '${text}' is not recognized`);
        values.push(Number(text));
        types.push(DOUBLE);
        break;
      case "BOOLEAN":
        if (!/^(true|false|1|0)$/i.test(text))
          throw new BindingError(`Boolean value '${text}' is not recognized`);
        values.push(/^(true|1)$/i.test(text));
        types.push(BOOLEAN);
        break;
      case "DATE":
        values.push(dateValue(dateDays(text)));
        types.push(DATE);
        break;
      case "TIMESTAMP_NTZ":
      case "TIMESTAMP_LTZ":
      case "TIMESTAMP_TZ":
        values.push(timestampValue(timestampMicros(text)));
        types.push(TIMESTAMP);
        break;
      default:
        throw new BindingError(`Unsupported bind type ${type}`);
    }
  }
  return { values, types };
}

/** Counts `?` placeholders outside quotes and comments. */
export function countPlaceholders(sql: string): number {
  let count = 0;
  let quote: string | null = null;
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i]!;
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === "-" && sql[i + 1] === "-")
      i = sql.indexOf("\n", i) === -1 ? sql.length : sql.indexOf("\n", i);
    else if (c === "?") count++;
  }
  return count;
}

function dateDays(text: string): number {
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return Date.parse(`${text}T00:00:00Z`) / 86_400_000;
  if (/^-?\d+$/.test(text)) {
    const n = Number(text);
    // Snowflake binds DATE as milliseconds since the epoch; small numbers are days.
    return Math.abs(n) > 100_000 ? Math.floor(n / 86_400_000) : n;
  }
  throw new BindingError(`Date '${text}' is not recognized`);
}

function timestampMicros(text: string): bigint {
  if (/^-?\d+$/.test(text)) return BigInt(text) / 1_000n;
  const ms = Date.parse(text.includes("T") || text.endsWith("Z") ? text : `${text.replace(" ", "T")}Z`);
  if (Number.isNaN(ms)) throw new BindingError(`Timestamp '${text}' is not recognized`);
  return BigInt(ms) * 1_000n;
}
