import type { RowTypeColumn } from "./jsonv2.js";
import { readExampleSchema } from "./schema-ddl.js";
import type { Session } from "./sql-rewrite.js";

/** Columns of `SHOW GRANTS TO ROLE`, as Snowflake names them (lower case). */
const COLUMNS = [
  "created_on",
  "privilege",
  "granted_on",
  "name",
  "granted_to",
  "grantee_name",
  "grant_option",
  "granted_by",
] as const;

/** When every sandbox grant was made (2024-01-01T00:00:00Z), as TIMESTAMP_LTZ epoch seconds. */
const CREATED_ON = "1704067200.000000000";

const SHOW_GRANTS_TO_ROLE = /^\s*SHOW\s+GRANTS\s+TO\s+ROLE\s+("(?:[^"]|"")+"|[A-Za-z_][\w$]*)\s*;?\s*$/i;

/** A grant as `SHOW GRANTS TO ROLE` lists it, before encoding. */
interface Grant {
  privilege: string;
  grantedOn: string;
  name: string;
}

/**
 * `SHOW GRANTS TO ROLE <role>` as the SQL API answers it (columns `created_on privilege
 * granted_on name granted_to grantee_name grant_option granted_by`, all text but
 * `created_on`), or undefined for any other statement. The sandbox's account has two roles:
 * the session's role (a read-only one: USAGE on the warehouse, database and schema, SELECT on
 * each table of the example schema, and the PUBLIC role) and PUBLIC (nothing). Any other role
 * is Snowflake's 002003 "does not exist or not authorized".
 *
 * @throws Error tagged with Snowflake's code and SQL state for an unknown role.
 */
export function showGrants(
  sql: string,
  session: Session,
): { rowType: RowTypeColumn[]; rows: string[][] } | undefined {
  const match = SHOW_GRANTS_TO_ROLE.exec(sql);
  if (!match) return undefined;
  const written = match[1]!;
  // A quoted identifier keeps its case; an unquoted one folds to upper case.
  const role = written.startsWith('"') ? written.slice(1, -1).replace(/""/g, '"') : written.toUpperCase();
  let grants: Grant[];
  if (role === session.role) grants = readOnlyGrants(session);
  else if (role === "PUBLIC") grants = [];
  else
    throw Object.assign(
      new Error(`SQL compilation error:\nRole '${role}' does not exist or not authorized.`),
      {
        snowflake: ["002003", "02000"],
      },
    );
  return {
    rowType: COLUMNS.map((name) => column(name, session)),
    rows: grants.map((g) => [
      CREATED_ON,
      g.privilege,
      g.grantedOn,
      g.name,
      "ROLE",
      role,
      "false",
      "SECURITYADMIN",
    ]),
  };
}

function readOnlyGrants(session: Session): Grant[] {
  const ddl = readExampleSchema().ddl.replace(/--[^\n]*/g, "");
  const tables = [...ddl.matchAll(/CREATE\s+TABLE\s+(\w+)/gi)].map((m) => m[1]!.toUpperCase());
  return [
    { privilege: "USAGE", grantedOn: "WAREHOUSE", name: session.warehouse },
    { privilege: "USAGE", grantedOn: "DATABASE", name: session.database },
    { privilege: "USAGE", grantedOn: "SCHEMA", name: `${session.database}.${session.schema}` },
    ...tables.map((table) => ({
      privilege: "SELECT",
      grantedOn: "TABLE",
      name: `${session.database}.${session.schema}.${table}`,
    })),
    { privilege: "USAGE", grantedOn: "ROLE", name: "PUBLIC" },
  ];
}

function column(name: string, session: Session): RowTypeColumn {
  const time = name === "created_on";
  return {
    name,
    database: session.database,
    schema: session.schema,
    table: "",
    type: time ? "timestamp_ltz" : "text",
    nullable: true,
    scale: time ? 9 : null,
    precision: time ? 0 : null,
    length: time ? null : 16_777_216,
    byteLength: time ? null : 16_777_216,
    collation: null,
  };
}
