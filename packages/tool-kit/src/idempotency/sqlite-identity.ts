import type { SqliteDatabase } from "./sqlite-database.js";
import { newStoreId, type StoreIdentity } from "./store-identity.js";

// Created when missing, like every table, without a schema version of its own: an older
// gtm-mcp opening the file ignores it.
const CREATE = `CREATE TABLE IF NOT EXISTS store_identity (
  scope TEXT PRIMARY KEY,
  id TEXT NOT NULL,
  created_at INTEGER NOT NULL
) WITHOUT ROWID`;

/**
 * The identity of `scope` in the embedded store, made (under the write lock, so two processes
 * opening a new file agree on one) when there is none yet: `created` says this call made it,
 * i.e. the file was new or empty, or had never held this scope.
 */
export function ensureSqliteIdentity(
  db: SqliteDatabase,
  scope: string,
  now: number,
): StoreIdentity & { created: boolean } {
  return db.transaction("identity", () => {
    db.statement(CREATE).run();
    const row = db.statement("SELECT id, created_at FROM store_identity WHERE scope = ?").get(scope) as
      | { id: string; created_at: number }
      | undefined;
    if (row) return { id: row.id, createdAt: row.created_at, created: false };
    const id = newStoreId();
    db.statement("INSERT INTO store_identity (scope, id, created_at) VALUES (?, ?, ?)").run(scope, id, now);
    return { id, createdAt: now, created: true };
  });
}
