import { type DuckDBType, DuckDBTypeId, type DuckDBValue } from "@duckdb/node-api";

/** One column of `resultSetMetaData.rowType`. */
export interface RowTypeColumn {
  name: string;
  database: string;
  schema: string;
  table: string;
  type: string;
  nullable: boolean;
  scale: number | null;
  precision: number | null;
  length: number | null;
  byteLength: number | null;
  collation: null;
}

type Kind =
  | "fixed"
  | "real"
  | "text"
  | "boolean"
  | "date"
  | "time"
  | "timestamp_ntz"
  | "timestamp_tz"
  | "binary"
  | "variant"
  | "array"
  | "object";

/** The Snowflake type of an engine column (rowType `type`, with precision and scale). */
export function snowflakeType(type: DuckDBType): {
  kind: Kind;
  precision: number | null;
  scale: number | null;
} {
  switch (type.typeId) {
    case DuckDBTypeId.DECIMAL: {
      const t = type as unknown as { width: number; scale: number };
      return { kind: "fixed", precision: t.width, scale: t.scale };
    }
    case DuckDBTypeId.TINYINT:
    case DuckDBTypeId.SMALLINT:
    case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UTINYINT:
    case DuckDBTypeId.USMALLINT:
    case DuckDBTypeId.UINTEGER:
    case DuckDBTypeId.UBIGINT:
      return { kind: "fixed", precision: 38, scale: 0 };
    case DuckDBTypeId.FLOAT:
    case DuckDBTypeId.DOUBLE:
      return { kind: "real", precision: null, scale: null };
    case DuckDBTypeId.BOOLEAN:
      return { kind: "boolean", precision: null, scale: null };
    case DuckDBTypeId.DATE:
      return { kind: "date", precision: null, scale: null };
    case DuckDBTypeId.TIME:
      return { kind: "time", precision: 0, scale: 9 };
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_S:
    case DuckDBTypeId.TIMESTAMP_MS:
    case DuckDBTypeId.TIMESTAMP_NS:
      return { kind: "timestamp_ntz", precision: 0, scale: 9 };
    case DuckDBTypeId.TIMESTAMP_TZ:
      return { kind: "timestamp_tz", precision: 0, scale: 9 };
    case DuckDBTypeId.BLOB:
      return { kind: "binary", precision: null, scale: null };
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.ARRAY:
      return { kind: "array", precision: null, scale: null };
    case DuckDBTypeId.STRUCT:
    case DuckDBTypeId.MAP:
      return { kind: "object", precision: null, scale: null };
    default:
      return { kind: "text", precision: null, scale: null };
  }
}

/** `rowType` of a result: names as Snowflake reports them, types mapped, every column nullable. */
export function rowTypeOf(
  names: string[],
  types: DuckDBType[],
  session: { database: string; schema: string },
): RowTypeColumn[] {
  return names.map((name, i) => {
    const { kind, precision, scale } = snowflakeType(types[i]!);
    const text = kind === "text";
    return {
      name,
      database: session.database,
      schema: session.schema,
      table: "",
      type: kind,
      nullable: true,
      scale,
      precision,
      length: text ? 16_777_216 : null,
      byteLength: text ? 16_777_216 : null,
      collation: null,
    };
  });
}

/**
 * One cell in the jsonv2 encoding (vendors.md): FIXED a decimal string with its scale, REAL
 * a float string, BOOLEAN `"true"`/`"false"`, DATE days since 1970-01-01, TIME and
 * TIMESTAMP_NTZ fractional epoch seconds with 9 decimals, TIMESTAMP_TZ the same plus
 * ` 1440` (UTC: minutes-from-UTC + 1440), BINARY hex, structured values JSON text.
 */
export function encodeCell(value: DuckDBValue, type: DuckDBType): string | null {
  if (value === null || value === undefined) return null;
  const { kind } = snowflakeType(type);
  const v = value as unknown as Record<string, unknown>;
  switch (kind) {
    case "fixed":
    case "real":
    case "text":
      return String(value);
    case "boolean":
      return value ? "true" : "false";
    case "date":
      return String(v.days);
    case "time":
      return epochSeconds(BigInt(v.micros as bigint));
    case "timestamp_ntz":
      return epochSeconds(timestampMicros(value, type));
    case "timestamp_tz":
      return `${epochSeconds(BigInt(v.micros as bigint))} 1440`;
    case "binary":
      return Buffer.from(v.bytes as Uint8Array).toString("hex");
    default:
      return JSON.stringify(value, (_k, x) => (typeof x === "bigint" ? x.toString() : x));
  }
}

function timestampMicros(value: DuckDBValue, type: DuckDBType): bigint {
  const v = value as unknown as Record<string, bigint>;
  if (type.typeId === DuckDBTypeId.TIMESTAMP_S) return BigInt(v.seconds!) * 1_000_000n;
  if (type.typeId === DuckDBTypeId.TIMESTAMP_MS) return BigInt(v.millis!) * 1_000n;
  if (type.typeId === DuckDBTypeId.TIMESTAMP_NS) return BigInt(v.nanos!) / 1_000n;
  return BigInt(v.micros!);
}

/** Microseconds → `"1700000000.000000000"`. */
export function epochSeconds(micros: bigint): string {
  const negative = micros < 0n;
  const abs = negative ? -micros : micros;
  const seconds = abs / 1_000_000n;
  const fraction = (abs % 1_000_000n) * 1_000n;
  return `${negative ? "-" : ""}${seconds}.${fraction.toString().padStart(9, "0")}`;
}
