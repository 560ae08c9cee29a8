/** The session a statement runs in (identity functions answer from it). */
export interface Session {
  account: string;
  user: string;
  role: string;
  warehouse: string;
  database: string;
  schema: string;
}

const IDENTITY: Array<[string, keyof Session]> = [
  ["CURRENT_ACCOUNT", "account"],
  ["CURRENT_USER", "user"],
  ["CURRENT_ROLE", "role"],
  ["CURRENT_WAREHOUSE", "warehouse"],
  ["CURRENT_DATABASE", "database"],
  ["CURRENT_SCHEMA", "schema"],
];

/**
 * Snowflake's session functions the engine lacks, as literals named like Snowflake names them
 * (`CURRENT_ACCOUNT()` is the column of `SELECT CURRENT_ACCOUNT()`), unless the query gives
 * its own alias. The identity query `SELECT CURRENT_ACCOUNT(), CURRENT_USER(), CURRENT_ROLE()`
 * runs unchanged.
 */
export function rewriteSessionFunctions(sql: string, session: Session): string {
  let out = sql;
  for (const [fn, key] of IDENTITY) {
    const literal = `'${session[key].replace(/'/g, "''")}'`;
    out = out
      .replace(new RegExp(`\\b${fn}\\s*\\(\\s*\\)(?=\\s+AS\\b)`, "gi"), literal)
      .replace(new RegExp(`\\b${fn}\\s*\\(\\s*\\)`, "gi"), `${literal} AS "${fn}()"`);
  }
  return out;
}

const WRITE_VERBS =
  /^(INSERT|UPDATE|DELETE|MERGE|CREATE|DROP|ALTER|TRUNCATE|COPY|GRANT|REVOKE|ATTACH|DETACH|INSTALL|LOAD|SET|RESET|PRAGMA|EXPORT|IMPORT|CALL|USE|CHECKPOINT|VACUUM|BEGIN|COMMIT|ROLLBACK|PUT|GET|REMOVE|UNDROP)\b/i;

/**
 * Whether the read-only role may run the statement: one statement that is not a write or
 * session command. Anything else goes to the engine, whose parser answers syntax errors.
 */
export function isReadOnly(sql: string): boolean {
  const body = stripComments(sql).trim().replace(/;\s*$/, "");
  if (body.includes(";")) return false;
  return !WRITE_VERBS.test(body);
}

/** The first word of a statement (for error messages). */
export function verbOf(sql: string): string {
  return (/^\s*(\w+)/.exec(stripComments(sql))?.[1] ?? "").toUpperCase();
}

/** `SYSTEM$WAIT(n)`: Snowflake's sleep, seconds to wait when the statement is only that call. */
export function systemWaitSeconds(sql: string): number | undefined {
  const match =
    /^\s*(?:SELECT|CALL)\s+SYSTEM\$WAIT\(\s*(\d+(?:\.\d+)?)\s*(?:,\s*'(SECONDS|MILLISECONDS)'\s*)?\)\s*;?\s*$/i.exec(
      stripComments(sql),
    );
  if (!match) return undefined;
  const n = Number(match[1]);
  return match[2]?.toUpperCase() === "MILLISECONDS" ? n / 1000 : n;
}

/**
 * Column names as Snowflake reports them: unquoted identifiers fold to upper case; a name the
 * statement wrote in double quotes keeps its case.
 */
export function snowflakeColumnName(name: string, sql: string): string {
  return sql.includes(`"${name}"`) ? name : name.toUpperCase();
}

function stripComments(sql: string): string {
  return sql.replace(/--[^\n]*/g, "").replace(/\/\*[\s\S]*?\*\//g, "");
}

/**
 * Snowflake's `DATE_TRUNC` of a DATE is a DATE; DuckDB's is a TIMESTAMP. A truncation of
 * `CURRENT_DATE`, of a `CAST(… AS DATE)` or of a column the schema declares DATE is cast back
 * to DATE so rowType and encoding match Snowflake's (`date`, days since the epoch).
 */
export function rewriteDateTrunc(sql: string, dateColumns: ReadonlySet<string>): string {
  return sql.replace(
    /\bDATE_TRUNC\s*\(\s*('\w+')\s*,\s*((?:[A-Za-z_][\w]*\.)?[A-Za-z_][\w]*|CAST\s*\([^()]*\s+AS\s+DATE\s*\))\s*\)/gi,
    (whole, part: string, arg: string) => {
      const column = arg.split(".").pop()!.toUpperCase();
      const isDate = /^CAST\s*\(/i.test(arg) || column === "CURRENT_DATE" || dateColumns.has(column);
      return isDate ? `CAST(DATE_TRUNC(${part}, ${arg}) AS DATE)` : whole;
    },
  );
}
