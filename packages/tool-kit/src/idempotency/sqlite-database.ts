import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { DatabaseSync, type StatementSync } from "node:sqlite";
import { prepareDatabase } from "./sqlite-schema.js";
import { storeUnavailable } from "./store-unavailable.js";

/**
 * One `node:sqlite` connection with the store's rules: statements prepared once, every
 * multi-step transition under `BEGIN IMMEDIATE`, and every SQLite failure (locked past the
 * busy timeout, I/O error, closed) turned into `ToolError("STORE_UNAVAILABLE")`.
 */
export class SqliteDatabase {
  private readonly db: DatabaseSync;
  private readonly statements = new Map<string, StatementSync>();

  /**
   * Opens `path` (creating its directory; `:memory:` allowed) in WAL mode with a busy timeout.
   * Throws `ToolError("STORE_UNAVAILABLE")` when the file cannot be opened or prepared.
   */
  static open(path: string, busyTimeoutMs: number): SqliteDatabase {
    let db: DatabaseSync | undefined;
    try {
      if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
      db = new DatabaseSync(path, { timeout: busyTimeoutMs });
      prepareDatabase(db, busyTimeoutMs);
      return new SqliteDatabase(db);
    } catch (err) {
      if (db?.isOpen) db.close();
      throw storeUnavailable("sqlite", "open", err);
    }
  }

  private constructor(db: DatabaseSync) {
    this.db = db;
  }

  /** The cached prepared statement of `sql`. */
  statement(sql: string): StatementSync {
    let statement = this.statements.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /** Runs `body` under `BEGIN IMMEDIATE` (the write lock, taken up front so two writers never deadlock). */
  transaction<T>(operation: string, body: () => T): T {
    return this.run(operation, () => {
      this.db.exec("BEGIN IMMEDIATE");
      try {
        const result = body();
        this.db.exec("COMMIT");
        return result;
      } catch (err) {
        if (this.db.isTransaction) this.db.exec("ROLLBACK");
        throw err;
      }
    });
  }

  /** Runs `body`; a SQLite failure becomes STORE_UNAVAILABLE, anything else (a bug) passes through. */
  run<T>(operation: string, body: () => T): T {
    try {
      return body();
    } catch (err) {
      const code = (err as { code?: unknown } | undefined)?.code;
      if (code === "ERR_SQLITE_ERROR" || code === "ERR_INVALID_STATE") {
        throw storeUnavailable("sqlite", operation, err);
      }
      throw err;
    }
  }

  close(): void {
    if (this.db.isOpen) this.db.close();
  }
}
