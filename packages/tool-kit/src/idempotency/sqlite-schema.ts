import type { DatabaseSync } from "node:sqlite";
import { CACHE_SCHEMA } from "./sqlite-cache-schema.js";
import { WINDOW_SCHEMA } from "./sqlite-windows.js";

/** Bumped when the tables change; a newer file than this code understands is refused. */
export const SCHEMA_VERSION = 4;

// One file may hold several scopes (a shared `sqlite:` path), so every row carries its scope.
const SCHEMA = `
CREATE TABLE IF NOT EXISTS idempotency_records (
  scope TEXT NOT NULL,
  key TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('in_progress', 'completed', 'unknown')),
  fingerprint TEXT NOT NULL,
  field_hashes TEXT NOT NULL,
  owner TEXT NOT NULL,
  lease_expires_at INTEGER,
  outcome TEXT,
  caps TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  completed_at INTEGER,
  expires_at INTEGER NOT NULL,
  taken_over_from TEXT,
  taken_over_since INTEGER,
  PRIMARY KEY (scope, key)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS idempotency_records_expiry ON idempotency_records (expires_at);
CREATE TABLE IF NOT EXISTS cap_counters (
  scope TEXT NOT NULL,
  run_id TEXT NOT NULL,
  name TEXT NOT NULL,
  used INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (scope, run_id, name)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS review_queue (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  scope TEXT NOT NULL,
  server TEXT NOT NULL,
  env TEXT NOT NULL,
  tool TEXT NOT NULL,
  idempotency_key TEXT NOT NULL,
  args TEXT NOT NULL,
  error TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('open', 'resolved')),
  resolved_at INTEGER,
  resolution TEXT
);
CREATE INDEX IF NOT EXISTS review_queue_status ON review_queue (scope, status, seq);
`;

/**
 * Puts the connection in WAL mode with a busy timeout and creates the tables. Safe when
 * several processes open the same file at once: the DDL runs under `BEGIN IMMEDIATE`.
 */
export function prepareDatabase(db: DatabaseSync, busyTimeoutMs: number): void {
  db.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
  const deadline = Date.now() + busyTimeoutMs;
  // WAL lets readers (replays) proceed while one process writes; FULL makes a committed claim
  // survive power loss, since a lost claim after the vendor acted would allow a second write.
  // Switching a new file to WAL takes an exclusive lock without calling the busy handler, so
  // several servers starting at once on one file retry it here.
  whileBusy(deadline, () => db.exec("PRAGMA journal_mode = WAL"));
  db.exec("PRAGMA synchronous = FULL");
  whileBusy(deadline, () => db.exec("BEGIN IMMEDIATE"));
  try {
    const row = db.prepare("PRAGMA user_version").get() as { user_version: number };
    if (row.user_version > SCHEMA_VERSION) {
      throw new Error(
        `The state file was written by a newer gtm-mcp (schema ${row.user_version} > ${SCHEMA_VERSION}).`,
      );
    }
    db.exec(SCHEMA);
    db.exec(WINDOW_SCHEMA);
    // Version 4: the TTL cache's tables (IF NOT EXISTS: creating them is the migration).
    db.exec(CACHE_SCHEMA);
    migrate(db);
    if (row.user_version < SCHEMA_VERSION) db.exec(`PRAGMA user_version = ${SCHEMA_VERSION}`);
    db.exec("COMMIT");
  } catch (err) {
    if (db.isTransaction) db.exec("ROLLBACK");
    throw err;
  }
}

/**
 * Brings a file of an earlier schema up to date (inside the caller's transaction).
 * Version 2 adds what a takeover answered (`taken_over_from`, `taken_over_since`), so the same
 * owner claiming again gets the same answer.
 */
function migrate(db: DatabaseSync): void {
  const columns = new Set(
    (db.prepare("PRAGMA table_info(idempotency_records)").all() as Array<{ name: string }>).map(
      (c) => c.name,
    ),
  );
  if (!columns.has("taken_over_from"))
    db.exec("ALTER TABLE idempotency_records ADD COLUMN taken_over_from TEXT");
  if (!columns.has("taken_over_since"))
    db.exec("ALTER TABLE idempotency_records ADD COLUMN taken_over_since INTEGER");
}

/** Runs `step`, retrying while SQLite answers "database is locked" (SQLITE_BUSY) until `deadline`. */
function whileBusy(deadline: number, step: () => void): void {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    try {
      step();
      return;
    } catch (err) {
      const busy = (err as { errcode?: number }).errcode === 5 || /database is locked/.test(String(err));
      if (!busy || Date.now() >= deadline) throw err;
      Atomics.wait(pause, 0, 0, 5 + Math.floor(Math.random() * 20));
    }
  }
}
