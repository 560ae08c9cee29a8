/**
 * Tables of the TTL cache (schema version 4): entries with their own expiry, and the fill
 * locks that make one process fill an entry while others wait. Created with IF NOT EXISTS, so
 * running it on an earlier file is the migration.
 */
export const CACHE_SCHEMA = `
CREATE TABLE IF NOT EXISTS cache_entries (
  scope TEXT NOT NULL,
  key TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('hit', 'miss')),
  value TEXT NOT NULL,
  stored_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (scope, key)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS cache_entries_expiry ON cache_entries (expires_at);
CREATE TABLE IF NOT EXISTS cache_fill_locks (
  scope TEXT NOT NULL,
  key TEXT NOT NULL,
  owner TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (scope, key)
) WITHOUT ROWID;
`;
