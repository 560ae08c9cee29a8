/** A catalog statement ready to send: `:name` parameters replaced by positional `?`. */
export interface CompiledSql {
  /** The statement as sent (trailing `;` removed), with `?` where each parameter was. */
  statement: string;
  /** The parameter bound to each `?`, in order (a parameter used twice appears twice). */
  order: string[];
}

/**
 * Keywords that have no place in a read-only query. A catalog runs behind a read-only role;
 * refusing these at start is the second line of defence, and catches a catalog mistake
 * before it reaches the warehouse.
 */
const FORBIDDEN = new Set([
  "INSERT",
  "UPDATE",
  "DELETE",
  "MERGE",
  "UPSERT",
  "CREATE",
  "DROP",
  "ALTER",
  "TRUNCATE",
  "GRANT",
  "REVOKE",
  "CALL",
  "COPY",
  "PUT",
  "REMOVE",
  "USE",
  "EXECUTE",
  "UNDROP",
  "COMMIT",
  "ROLLBACK",
  "INTO",
  "SET",
  "UNSET",
]);

/** Why a catalog statement was refused. */
export class SqlProblem extends Error {
  override readonly name = "SqlProblem";
}

/**
 * Checks that `sql` is exactly one `SELECT` or `WITH` statement and replaces its `:name`
 * parameters by `?` (Snowflake SQL API bindings are positional: "1", "2", …). Quoted strings,
 * quoted identifiers, `$$` strings and comments are skipped, so a `:x`, `;` or keyword inside
 * them counts for nothing; `::` is a cast, not a parameter.
 *
 * @throws SqlProblem naming what is wrong (several statements, not a query, a forbidden
 * keyword, a positional `?`, an unterminated string or comment).
 */
export function compileSql(sql: string): CompiledSql {
  let out = "";
  const order: string[] = [];
  const words: string[] = [];
  let endedAt: number | undefined;
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql[i]!;
    const next = sql[i + 1];
    if (
      endedAt !== undefined &&
      !/\s/.test(c) &&
      !(c === "-" && next === "-") &&
      !(c === "/" && next === "*")
    ) {
      throw new SqlProblem("only one statement is allowed (found text after ';')");
    }
    if (c === "'" || c === '"') {
      const end = closing(sql, i, c);
      out += sql.slice(i, end);
      i = end;
    } else if (c === "$" && next === "$") {
      const end = sql.indexOf("$$", i + 2);
      if (end < 0) throw new SqlProblem("unterminated $$ string");
      out += sql.slice(i, end + 2);
      i = end + 2;
    } else if (c === "-" && next === "-") {
      const end = sql.indexOf("\n", i);
      i = end < 0 ? n : end;
    } else if (c === "/" && next === "*") {
      const end = sql.indexOf("*/", i + 2);
      if (end < 0) throw new SqlProblem("unterminated /* comment");
      out += " ";
      i = end + 2;
    } else if (c === ";") {
      endedAt = i;
      i += 1;
    } else if (c === "?") {
      throw new SqlProblem("positional '?' parameters are not allowed; name them (:name)");
    } else if (c === ":" && next === ":") {
      out += "::";
      i += 2;
    } else if (c === ":" && next !== undefined && /[A-Za-z_]/.test(next)) {
      const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(sql.slice(i + 1))!;
      order.push(match[0]);
      out += "?";
      i += 1 + match[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const match = /^[A-Za-z_][A-Za-z0-9_$]*/.exec(sql.slice(i))!;
      words.push(match[0].toUpperCase());
      out += match[0];
      i += match[0].length;
    } else {
      out += c;
      i += 1;
    }
  }
  const first = words[0];
  if (first !== "SELECT" && first !== "WITH") {
    throw new SqlProblem(
      `the statement must be a SELECT or WITH query (it starts with ${first ?? "nothing"})`,
    );
  }
  const forbidden = words.find((word) => FORBIDDEN.has(word));
  if (forbidden) throw new SqlProblem(`the keyword ${forbidden} is not allowed in a read-only query`);
  return { statement: out.trim(), order };
}

/** The index just past the quote that closes the one at `start` (a doubled quote is an escaped one). */
function closing(sql: string, start: number, quote: string): number {
  let i = start + 1;
  while (i < sql.length) {
    if (sql[i] === "\\" && quote === "'") {
      i += 2;
    } else if (sql[i] === quote) {
      if (sql[i + 1] === quote) i += 2;
      else return i + 1;
    } else {
      i += 1;
    }
  }
  throw new SqlProblem(`unterminated ${quote === "'" ? "string" : "quoted identifier"}`);
}
