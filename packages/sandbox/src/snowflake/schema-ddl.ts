import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * The warehouse example schema, owned by the warehouse server
 * (`servers/warehouse/catalog/example-schema.sql`), read from the repository so the emulator
 * and the catalog cannot disagree. Same path from `src/` and from `dist/`.
 */
export const EXAMPLE_SCHEMA_PATH = fileURLToPath(
  new URL("../../../../servers/warehouse/catalog/example-schema.sql", import.meta.url),
);

/** The brief's DDL, for a checkout without the warehouse server (a published sandbox package). */
const FALLBACK_DDL = `
CREATE TABLE ACCOUNTS (ACCOUNT_ID VARCHAR NOT NULL, DOMAIN VARCHAR NOT NULL, NAME VARCHAR, SEGMENT VARCHAR,
  ARR NUMBER(12,2), OWNER_EMAIL VARCHAR, PLAN VARCHAR, CREATED_AT TIMESTAMP_NTZ);
CREATE TABLE PRODUCT_USAGE_DAILY (ACCOUNT_ID VARCHAR NOT NULL, USAGE_DATE DATE NOT NULL, ACTIVE_USERS NUMBER(10,0),
  EVENTS NUMBER(12,0), SEATS_PURCHASED NUMBER(10,0));
CREATE TABLE OPPORTUNITIES (OPPORTUNITY_ID VARCHAR NOT NULL, ACCOUNT_ID VARCHAR NOT NULL, OWNER_EMAIL VARCHAR,
  STAGE VARCHAR, AMOUNT NUMBER(12,2), CLOSE_DATE DATE, IS_CLOSED BOOLEAN, IS_WON BOOLEAN, CREATED_AT TIMESTAMP_NTZ);
`;

/** The schema's DDL text and where it came from. */
export function readExampleSchema(path = EXAMPLE_SCHEMA_PATH): { ddl: string; source: string } {
  try {
    return { ddl: readFileSync(path, "utf8"), source: path };
  } catch {
    return { ddl: FALLBACK_DDL, source: "built-in copy of the brief's DDL" };
  }
}

/**
 * Snowflake DDL → DuckDB DDL: comments dropped, `NUMBER(p,s)` → `DECIMAL(p,s)`, bare `NUMBER`
 * → `DECIMAL(38,0)`, `TIMESTAMP_NTZ` → `TIMESTAMP`, `TIMESTAMP_TZ`/`_LTZ` → `TIMESTAMPTZ`,
 * `VARIANT`/`OBJECT`/`ARRAY` → `JSON`. One statement per `;`.
 */
export function toDuckDbStatements(ddl: string): string[] {
  return ddl
    .replace(/--[^\n]*/g, "")
    .replace(/\bNUMBER\s*\(\s*(\d+)\s*,\s*(\d+)\s*\)/gi, "DECIMAL($1,$2)")
    .replace(/\bNUMBER\s*\(\s*(\d+)\s*\)/gi, "DECIMAL($1,0)")
    .replace(/\bNUMBER\b/gi, "DECIMAL(38,0)")
    .replace(/\bTIMESTAMP_NTZ\b/gi, "TIMESTAMP")
    .replace(/\bTIMESTAMP_(?:TZ|LTZ)\b/gi, "TIMESTAMPTZ")
    .replace(/\b(?:VARIANT|OBJECT|ARRAY)\b/gi, "JSON")
    .split(";")
    .map((s) => s.trim())
    .filter(Boolean);
}
