import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import type { z } from "zod";
import { type CatalogEntrySource, catalogFileSchema, entrySchema } from "./catalog-schema.js";
import { compileSql, SqlProblem } from "./compile-sql.js";
import { paramSchema } from "./parameters.js";

/** The catalog shipped with the server (`catalog/queries.yaml`; same relative path from src/ and dist/). */
export const SHIPPED_CATALOG = fileURLToPath(new URL("../../catalog/queries.yaml", import.meta.url));

/** Names a catalog entry cannot take or use: the server's own tool and argument. */
const RESERVED_TOOL_NAMES = new Set(["list_queries"]);
const RESERVED_PARAM_NAMES = new Set(["cursor"]);

/** A validated catalog entry with its statement compiled for bindings. */
export interface CatalogEntry extends CatalogEntrySource {
  /** The statement as sent: `?` placeholders. */
  statement: string;
  /** The parameter bound to each `?`, in order. */
  bindOrder: string[];
}

/** A catalog that cannot be served: names the entry (when one is at fault) and the problem. */
export class CatalogError extends Error {
  override readonly name = "CatalogError";
  constructor(
    readonly file: string,
    readonly entry: string | undefined,
    readonly problem: string,
  ) {
    super(`catalog ${file}: ${entry !== undefined ? `entry "${entry}": ` : ""}${problem}`);
  }
}

/**
 * Reads and validates a catalog file. Every entry must parse, its SQL must be one SELECT/WITH
 * statement, every `:name` in it must be a declared parameter and every parameter used, and
 * defaults must satisfy their own constraints.
 *
 * @throws CatalogError naming the file, the entry and the problem.
 */
export function loadCatalog(file: string = SHIPPED_CATALOG): CatalogEntry[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new CatalogError(
      file,
      undefined,
      `cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"})`,
    );
  }
  let document: unknown;
  try {
    document = parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0] : "invalid YAML";
    throw new CatalogError(file, undefined, `is not valid YAML (${reason})`);
  }
  const top = catalogFileSchema.safeParse(document);
  if (!top.success) throw new CatalogError(file, undefined, describeIssue(top.error));
  const seen = new Set<string>();
  return top.data.queries.map((raw, index) => {
    const label =
      raw !== null && typeof raw === "object" && typeof (raw as { name?: unknown }).name === "string"
        ? (raw as { name: string }).name
        : `#${index + 1}`;
    const entry = validateEntry(raw, (problem) => new CatalogError(file, label, problem));
    if (seen.has(entry.name)) throw new CatalogError(file, label, "the name is used by an earlier entry");
    seen.add(entry.name);
    return entry;
  });
}

function validateEntry(raw: unknown, fail: (problem: string) => CatalogError): CatalogEntry {
  const parsed = entrySchema.safeParse(raw);
  if (!parsed.success) throw fail(describeIssue(parsed.error));
  const entry = parsed.data;
  if (RESERVED_TOOL_NAMES.has(entry.name)) throw fail(`the name ${entry.name} is reserved`);
  let compiled: { statement: string; order: string[] };
  try {
    compiled = compileSql(entry.sql);
  } catch (error) {
    if (error instanceof SqlProblem) throw fail(`sql: ${error.message}`);
    throw error;
  }
  const declared = Object.keys(entry.parameters);
  const undeclared = [...new Set(compiled.order.filter((name) => !(name in entry.parameters)))];
  if (undeclared.length > 0) throw fail(`sql uses undeclared parameter(s): ${undeclared.join(", ")}`);
  const unused = declared.filter((name) => !compiled.order.includes(name));
  if (unused.length > 0) throw fail(`parameter(s) not used in the sql: ${unused.join(", ")}`);
  for (const [name, spec] of Object.entries(entry.parameters)) {
    const where = `parameters.${name}`;
    if (RESERVED_PARAM_NAMES.has(name)) throw fail(`${where}: the name ${name} is reserved`);
    if (spec.enum && spec.type !== "string") throw fail(`${where}: enum is only for string parameters`);
    if (spec.pattern !== undefined) {
      try {
        new RegExp(spec.pattern);
      } catch {
        throw fail(`${where}: pattern is not a valid regular expression`);
      }
    }
    if (spec.minimum !== undefined && spec.maximum !== undefined && spec.minimum > spec.maximum)
      throw fail(`${where}: minimum is above maximum`);
    if (
      spec.default !== undefined &&
      !paramSchema({ ...spec, default: undefined }).safeParse(spec.default).success
    )
      throw fail(
        `${where}: the default ${JSON.stringify(spec.default)} does not satisfy the parameter's own constraints`,
      );
  }
  const columns = new Set<string>();
  for (const column of entry.columns) {
    if (columns.has(column.name)) throw fail(`columns: ${column.name} is listed twice`);
    columns.add(column.name);
  }
  return { ...entry, statement: compiled.statement, bindOrder: compiled.order };
}

function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0]!;
  const path = issue.path.map(String).join(".");
  return path === "" ? issue.message : `${path}: ${issue.message}`;
}
