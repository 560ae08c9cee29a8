import type { Logger } from "../logging/index.js";
import type { CapCounterStore, CapUnits, CapUnitsReservation } from "./cap-counter.js";
import type { SqliteDatabase } from "./sqlite-database.js";
import type { CacheEntry, CacheEntryKind, NewCacheEntry, TtlCacheStore } from "./ttl-cache.js";

const PURGE_EVERY_SETS = 500;

const SQL = {
  selectEntry: "SELECT kind, value, stored_at, expires_at FROM cache_entries WHERE scope = ? AND key = ?",
  upsertEntry: `INSERT INTO cache_entries (scope, key, kind, value, stored_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (scope, key) DO UPDATE SET kind = excluded.kind, value = excluded.value,
      stored_at = excluded.stored_at, expires_at = excluded.expires_at`,
  // One statement: the lock is taken only when absent or lapsed, and `changes` says whether it was.
  lockFill: `INSERT INTO cache_fill_locks (scope, key, owner, expires_at) VALUES (?, ?, ?, ?)
    ON CONFLICT (scope, key) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
    WHERE cache_fill_locks.expires_at <= ?`,
  unlockFill: "DELETE FROM cache_fill_locks WHERE scope = ? AND key = ? AND owner = ?",
  selectCap: "SELECT used, expires_at FROM cap_counters WHERE scope = ? AND run_id = ? AND name = ?",
  reserveUnits: `INSERT INTO cap_counters (scope, run_id, name, used, expires_at) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (scope, run_id, name) DO UPDATE SET
      used = CASE WHEN cap_counters.expires_at <= ? THEN excluded.used ELSE cap_counters.used + excluded.used END,
      expires_at = max(cap_counters.expires_at, excluded.expires_at)`,
  refundUnits: `UPDATE cap_counters SET used = max(0, used - ?)
    WHERE scope = ? AND run_id = ? AND name = ? AND expires_at > ?`,
  purgeEntries: "DELETE FROM cache_entries WHERE expires_at <= ?",
  purgeLocks: "DELETE FROM cache_fill_locks WHERE expires_at <= ?",
} as const;

/** What {@link SqliteCacheOps} shares with the store that owns it. */
export interface SqliteCacheContext {
  /** `server:env`, the store's scope column. */
  scope: string;
  now: () => number;
  /** Least lifetime of a cap counter after a reservation. */
  capTtlMs: number;
  logger?: Logger;
}

/**
 * The TTL cache and unit caps on the embedded store: rows with their own expiry (an expired
 * row reads as absent and is purged now and then), a fill lock taken by one upsert that only
 * replaces a lapsed lock, and unit reservations under `BEGIN IMMEDIATE` on the write path's
 * own `cap_counters`, so every process sharing the file sees one count.
 */
export class SqliteCacheOps implements TtlCacheStore, CapCounterStore {
  private readonly db: SqliteDatabase;
  private readonly ctx: SqliteCacheContext;
  private setsSincePurge = 0;

  constructor(db: SqliteDatabase, ctx: SqliteCacheContext) {
    this.db = db;
    this.ctx = ctx;
  }

  async cacheGet(key: string): Promise<CacheEntry | null> {
    const row = this.db.run("cacheGet", () => this.stmt("selectEntry").get(this.ctx.scope, key)) as
      | { kind: CacheEntryKind; value: string; stored_at: number; expires_at: number }
      | undefined;
    if (row === undefined || row.expires_at <= this.ctx.now()) return null;
    return {
      kind: row.kind,
      value: JSON.parse(row.value),
      storedAt: row.stored_at,
      expiresAt: row.expires_at,
    };
  }

  async cacheSet(key: string, entry: NewCacheEntry, ttlMs: number): Promise<void> {
    const now = this.ctx.now();
    const value = JSON.stringify(entry.value ?? null);
    this.db.run("cacheSet", () =>
      this.stmt("upsertEntry").run(
        this.ctx.scope,
        key,
        entry.kind,
        value,
        entry.storedAt ?? now,
        now + Math.max(1, ttlMs),
      ),
    );
    if (++this.setsSincePurge >= PURGE_EVERY_SETS) this.purgeExpired();
  }

  async cacheLockFill(key: string, owner: string, leaseMs: number): Promise<boolean> {
    const now = this.ctx.now();
    const result = this.db.run("cacheLockFill", () =>
      this.stmt("lockFill").run(this.ctx.scope, key, owner, now + Math.max(1, leaseMs), now),
    );
    return Number(result.changes) === 1;
  }

  async cacheUnlockFill(key: string, owner: string): Promise<boolean> {
    const result = this.db.run("cacheUnlockFill", () =>
      this.stmt("unlockFill").run(this.ctx.scope, key, owner),
    );
    return Number(result.changes) === 1;
  }

  async reserveCapUnits(cap: CapUnits, units = 1): Promise<CapUnitsReservation> {
    return this.db.transaction("reserveCapUnits", (): CapUnitsReservation => {
      const now = this.ctx.now();
      const used = this.capUsed(cap.name, cap.runId, now);
      if (used + units > cap.limit) return { status: "cap_exceeded", limit: cap.limit, used };
      this.stmt("reserveUnits").run(this.ctx.scope, cap.runId, cap.name, units, now + this.ctx.capTtlMs, now);
      return { status: "reserved", used: used + units };
    });
  }

  async refundCapUnits(name: string, runId: string, units = 1): Promise<number> {
    return this.db.transaction("refundCapUnits", () => {
      const now = this.ctx.now();
      this.stmt("refundUnits").run(units, this.ctx.scope, runId, name, now);
      return this.capUsed(name, runId, now);
    });
  }

  private capUsed(name: string, runId: string, now: number): number {
    const row = this.stmt("selectCap").get(this.ctx.scope, runId, name) as
      | { used: number; expires_at: number }
      | undefined;
    return row === undefined || row.expires_at <= now ? 0 : row.used;
  }

  private purgeExpired(): void {
    this.setsSincePurge = 0;
    try {
      this.db.transaction("cachePurge", () => {
        const now = this.ctx.now();
        this.stmt("purgeEntries").run(now);
        this.stmt("purgeLocks").run(now);
      });
    } catch (err) {
      // Housekeeping: a busy file must not fail the set that triggered it.
      this.ctx.logger?.debug({ store: "sqlite", err }, "cache purge skipped");
    }
  }

  private stmt(name: keyof typeof SQL) {
    return this.db.statement(SQL[name]);
  }
}
