import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type DuckDBConnection,
  DuckDBInstance,
  type DuckDBPreparedStatement,
  type DuckDBType,
  type DuckDBValue,
} from "@duckdb/node-api";
import type { Book } from "../book/types.js";
import { readExampleSchema, toDuckDbStatements } from "./schema-ddl.js";

/** A query's answer straight from the engine. */
export interface EngineResult {
  columns: string[];
  types: DuckDBType[];
  rows: DuckDBValue[][];
}

/**
 * The embedded SQL engine behind the Snowflake emulator: DuckDB in memory (see the README for
 * why DuckDB over PGlite), loaded with the warehouse example schema and seeded from the book.
 * Dates are materialized relative to the anchor day so `CURRENT_DATE - 30` finds recent usage.
 */
export class WarehouseEngine {
  /** Upper-case names of the schema's DATE columns (see `rewriteDateTrunc`). */
  readonly dateColumns = new Set<string>();
  /** Connections whose last statement ran to its end, ready for the next one. */
  private readonly idle: DuckDBConnection[] = [];
  /** Statements prepared on each connection, by SQL text (a catalog query is planned once per connection). */
  private readonly prepared = new WeakMap<DuckDBConnection, Map<string, DuckDBPreparedStatement>>();

  private constructor(
    private readonly instance: DuckDBInstance,
    readonly schemaSource: string,
  ) {}

  /** Creates the engine, the tables, and loads the book. */
  static async open(book: Book, anchorMs: number): Promise<WarehouseEngine> {
    // One DuckDB thread a query: the catalog's queries are small, and splitting each over two
    // threads cost more CPU (3.1 against 2.5 ms a query, one at a time) for no shorter answer;
    // statements still run side by side on Node's thread pool. Loading takes as long either way.
    const instance = await DuckDBInstance.create(":memory:", { threads: "1" });
    const { ddl, source } = readExampleSchema();
    const engine = new WarehouseEngine(instance, source);
    const connection = await instance.connect();
    try {
      for (const statement of toDuckDbStatements(ddl)) await connection.run(statement);
      await seed(connection, book, anchorMs);
      const dates = await connection.run(
        "SELECT column_name FROM information_schema.columns WHERE data_type = 'DATE'",
      );
      for (const [name] of await dates.getRows()) engine.dateColumns.add(String(name).toUpperCase());
      // SQL from clients must not read or write the machine's files (read_csv, COPY, ATTACH):
      // once off, DuckDB cannot turn external access back on, and the configuration is locked.
      await connection.run("SET enable_external_access = false");
      await connection.run("SET lock_configuration = true");
    } finally {
      connection.closeSync();
    }
    return engine;
  }

  /**
   * A connection for one statement, which has it alone so that it can be interrupted alone:
   * an idle one when there is one (opening one and planning the SQL cost more CPU than most
   * catalog queries), else a new one. Give it back with {@link release}.
   */
  async connect(): Promise<DuckDBConnection> {
    return this.idle.pop() ?? this.instance.connect();
  }

  /**
   * Takes back a connection: one whose statement ran to its end is kept for the next (up to
   * {@link MAX_IDLE}); one that was interrupted or failed is closed, never reused.
   */
  release(connection: DuckDBConnection, reusable: boolean): void {
    if (reusable && this.idle.length < MAX_IDLE) this.idle.push(connection);
    else connection.closeSync();
  }

  /** Runs one statement with positional values on `connection`. */
  async run(
    connection: DuckDBConnection,
    sql: string,
    values: DuckDBValue[],
    types: DuckDBType[],
  ): Promise<EngineResult> {
    let cache = this.prepared.get(connection);
    if (cache === undefined) {
      cache = new Map();
      this.prepared.set(connection, cache);
    }
    let prepared = cache.get(sql);
    if (prepared === undefined) {
      prepared = await connection.prepare(sql);
      if (cache.size >= MAX_PREPARED) cache.clear();
      cache.set(sql, prepared);
    }
    // Every placeholder is bound on every run (the same SQL has the same placeholders).
    if (values.length > 0) prepared.bind(values, types);
    const result = await prepared.run();
    return { columns: result.columnNames(), types: result.columnTypes(), rows: await result.getRows() };
  }

  close(): void {
    for (const connection of this.idle.splice(0)) connection.closeSync();
    this.instance.closeSync();
  }
}

/** Idle connections kept (about the statements a book run has in flight at once). */
const MAX_IDLE = 32;
/** Prepared statements kept per connection (the catalog has a handful; ad-hoc SQL is rare). */
const MAX_PREPARED = 64;

async function seed(connection: DuckDBConnection, book: Book, anchorMs: number): Promise<void> {
  const anchorDay = Math.floor(anchorMs / 86_400_000);
  const date = (daysAgo: number) => new Date((anchorDay - daysAgo) * 86_400_000).toISOString().slice(0, 10);
  const timestamp = (daysAgo: number) =>
    new Date((anchorDay - daysAgo) * 86_400_000 + 9 * 3_600_000).toISOString().slice(0, 19).replace("T", " ");
  const dir = mkdtempSync(join(tmpdir(), "gtm-sandbox-"));
  try {
    const load = async (table: string, rows: Iterable<Array<string | number | boolean>>) => {
      const file = join(dir, `${table}.csv`);
      const lines: string[] = [];
      for (const row of rows) lines.push(row.map(csvCell).join(","));
      writeFileSync(file, `${lines.join("\n")}\n`);
      await connection.run(`COPY ${table} FROM '${file.replace(/'/g, "''")}' (FORMAT csv, HEADER false)`);
    };
    await load(
      "ACCOUNTS",
      book.accounts.map((a) => [
        a.accountId,
        a.domain,
        a.name,
        a.segment,
        a.arr,
        a.ownerEmail,
        a.plan,
        timestamp(a.createdDaysAgo),
      ]),
    );
    await load(
      "PRODUCT_USAGE_DAILY",
      book.usage.map((u) => [u.accountId, date(u.daysAgo), u.activeUsers, u.events, u.seatsPurchased]),
    );
    await load(
      "OPPORTUNITIES",
      book.opportunities.map((o) => [
        o.opportunityId,
        o.accountId,
        o.ownerEmail,
        o.stage,
        o.amount,
        date(o.closeDaysAgo),
        o.isClosed,
        o.isWon,
        timestamp(o.createdDaysAgo),
      ]),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function csvCell(value: string | number | boolean): string {
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
