import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { compileSql } from "../../src/catalog/compile-sql.js";
import { CatalogError, loadCatalog } from "../../src/catalog/load-catalog.js";

const dir = mkdtempSync(join(tmpdir(), "warehouse-catalog-"));
let n = 0;
function write(document: unknown): string {
  n += 1;
  const file = join(dir, `catalog-${n}.yaml`);
  writeFileSync(file, typeof document === "string" ? document : stringify(document));
  return file;
}

const good = {
  name: "get_thing",
  title: "Get thing",
  description: "Reads one thing by its id; no match is an empty list.",
  parameters: { id: { type: "string", description: "The id." } },
  sql: "SELECT ID FROM THINGS WHERE ID = :id",
  columns: [{ name: "id", type: "string", description: "The id" }],
  row_limit: 10,
  timeout_seconds: 5,
};
const catalogOf = (...queries: unknown[]) => write({ version: 1, queries });
const problemOf = (file: string) => {
  try {
    loadCatalog(file);
  } catch (error) {
    expect(error).toBeInstanceOf(CatalogError);
    return (error as CatalogError).message;
  }
  throw new Error("expected the catalog to be refused");
};

describe("the shipped catalog", () => {
  it("has the four GTM queries, each compiled to positional bindings", () => {
    const catalog = loadCatalog();
    expect(catalog.map((e) => e.name)).toEqual([
      "get_account_usage",
      "list_accounts_by_segment",
      "get_pipeline_summary",
      "find_expansion_candidates",
    ]);
    const pipeline = catalog.find((e) => e.name === "get_pipeline_summary")!;
    expect(pipeline.bindOrder).toEqual(["quarter", "owner", "owner"]);
    expect(pipeline.statement).not.toMatch(/:[a-z]/);
    expect(pipeline.statement.match(/\?/g)).toHaveLength(3);
  });
});

describe("a bad catalog is refused naming the entry and the problem", () => {
  it.each([
    ["a second statement", { sql: "SELECT 1 FROM T WHERE ID = :id; DELETE FROM T" }, /only one statement/],
    ["a write", { sql: "DELETE FROM THINGS WHERE ID = :id" }, /must be a SELECT or WITH/],
    [
      "a write inside a WITH",
      { sql: "WITH x AS (SELECT 1) INSERT INTO T SELECT :id" },
      /INSERT is not allowed/,
    ],
    ["SELECT INTO", { sql: "SELECT :id INTO NEWT" }, /INTO is not allowed/],
    ["a positional placeholder", { sql: "SELECT ID FROM T WHERE ID = ? AND X = :id" }, /positional '\?'/],
    [
      "an undeclared parameter",
      { sql: "SELECT ID FROM T WHERE ID = :id AND X = :other" },
      /undeclared parameter\(s\): other/,
    ],
    [
      "an unused parameter",
      { parameters: { id: good.parameters.id, extra: { type: "integer", description: "x" } } },
      /not used in the sql: extra/,
    ],
    [
      "an unknown column type",
      { columns: [{ name: "id", type: "uuid", description: "x" }] },
      /columns\.0\.type/,
    ],
    [
      "a bad default",
      { parameters: { id: { type: "string", description: "x", enum: ["a"], default: "b" } } },
      /parameters\.id: the default "b"/,
    ],
    ["a missing row limit", { row_limit: undefined }, /row_limit/],
    ["a reserved name", { name: "list_queries" }, /reserved/],
    ["an unterminated string", { sql: "SELECT ID FROM T WHERE ID = :id AND N = 'x" }, /unterminated string/],
  ])("%s", (_label, change, expected) => {
    const message = problemOf(catalogOf({ ...good, ...change }));
    expect(message).toMatch(/entry "(get_thing|list_queries)": /);
    expect(message).toMatch(expected);
  });

  it("names a duplicate entry", () => {
    expect(problemOf(catalogOf(good, good))).toMatch(
      /entry "get_thing": the name is used by an earlier entry/,
    );
  });

  it("names an unreadable or invalid file", () => {
    expect(problemOf(join(dir, "missing.yaml"))).toMatch(/cannot be read \(ENOENT\)/);
    expect(problemOf(write("version: 1\nqueries: [\n"))).toMatch(/not valid YAML/);
    expect(problemOf(write({ version: 2, queries: [good] }))).toMatch(/version: 1/);
  });
});

describe("compileSql", () => {
  it("leaves strings, quoted identifiers, comments and casts alone", () => {
    const compiled = compileSql(
      `SELECT ':not' AS "A:b", x::date -- a :comment; DROP\nFROM T /* :c */ WHERE ID = :id AND Y = :id;`,
    );
    expect(compiled.order).toEqual(["id", "id"]);
    expect(compiled.statement).toBe(`SELECT ':not' AS "A:b", x::date \nFROM T   WHERE ID = ? AND Y = ?`);
  });
});
