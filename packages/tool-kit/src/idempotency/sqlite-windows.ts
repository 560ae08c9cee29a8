import type { ClaimResult, WindowReservation } from "./store.js";

/**
 * The embedded store's time-window limits (a recipient's cooldown). Every function runs
 * inside the caller's `BEGIN IMMEDIATE` claim or release transaction, so a window is checked
 * and taken atomically with the key, across processes sharing the file.
 */

/** The table; created with the others (see `sqlite-schema.ts`). */
export const WINDOW_SCHEMA = `
CREATE TABLE IF NOT EXISTS window_limits (
  scope TEXT NOT NULL,
  name TEXT NOT NULL,
  subject TEXT NOT NULL,
  holder_key TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (scope, name, subject)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS window_limits_holder ON window_limits (scope, holder_key);
`;

/** The statements these functions need, prepared by the store. */
interface Statement {
  get(...params: Array<string | number>): unknown;
  run(...params: Array<string | number>): unknown;
}
type Prepare = (sql: string) => Statement;

const SQL = {
  select: "SELECT expires_at FROM window_limits WHERE scope = ? AND name = ? AND subject = ?",
  take: `INSERT INTO window_limits (scope, name, subject, holder_key, expires_at) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (scope, name, subject) DO UPDATE SET holder_key = excluded.holder_key, expires_at = excluded.expires_at`,
  release: "DELETE FROM window_limits WHERE scope = ? AND holder_key = ?",
  purge: "DELETE FROM window_limits WHERE expires_at <= ?",
} as const;

/** The first window still held, as a claim answer; undefined when every window is free. */
export function activeWindow(
  prepare: Prepare,
  scope: string,
  windows: readonly WindowReservation[],
  now: number,
): Extract<ClaimResult, { status: "window_active" }> | undefined {
  for (const window of windows) {
    const row = prepare(SQL.select).get(scope, window.name, window.subject) as
      | { expires_at: number }
      | undefined;
    if (row !== undefined && row.expires_at > now) {
      return { status: "window_active", window: window.name, subject: window.subject, until: row.expires_at };
    }
  }
  return undefined;
}

/** Takes every window for the record `key` (an expired holder is replaced). */
export function takeWindows(
  prepare: Prepare,
  scope: string,
  key: string,
  windows: readonly WindowReservation[],
  now: number,
): void {
  for (const window of windows) {
    prepare(SQL.take).run(scope, window.name, window.subject, key, now + Math.max(1, window.windowMs));
  }
}

/** Gives back the windows the record `key` holds (its claim is released: nothing was done). */
export function releaseWindows(prepare: Prepare, scope: string, key: string): void {
  prepare(SQL.release).run(scope, key);
}

/** Forgets windows that ended. */
export function purgeWindows(prepare: Prepare, now: number): void {
  prepare(SQL.purge).run(now);
}
