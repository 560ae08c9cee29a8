import type { Logger } from "../logging/index.js";
import { differingFields } from "./canonical.js";
import type { CapUnits, CapUnitsReservation } from "./cap-counter.js";
import { logRefusedTransition, type RefusalReason } from "./refused-transition.js";
import { SqliteCacheOps } from "./sqlite-cache.js";
import { SqliteDatabase } from "./sqlite-database.js";
import { ensureSqliteIdentity } from "./sqlite-identity.js";
import { SqliteReviewQueue } from "./sqlite-review-queue.js";
import { activeWindow, purgeWindows, releaseWindows, takeWindows } from "./sqlite-windows.js";
import type {
  ClaimRequest,
  ClaimResult,
  IdempotencyRecord,
  IdempotencyStore,
  NewReview,
  RecordState,
  ReviewRecord,
  StoredOutcome,
} from "./store.js";
import type { StoreIdentity } from "./store-identity.js";
import { assertStoreScope, type StoreScope } from "./store-scope.js";
import type { CacheEntry, NewCacheEntry } from "./ttl-cache.js";

/** Options of {@link openSqliteStore}. */
export interface SqliteStoreOptions extends StoreScope {
  /** The database file (its directory is created), or `:memory:`. */
  path: string;
  logger?: Logger;
  /** How long a call waits for another process's write lock. Default 5000 ms. */
  busyTimeoutMs?: number;
  /** Least lifetime of a cap counter after its last reservation. Default 7 days. */
  capTtlMs?: number;
  /** The clock (ms since the epoch); tests move it to expire leases. Default `Date.now`. */
  now?: () => number;
}

const DEFAULT_BUSY_TIMEOUT_MS = 5000;
const DEFAULT_CAP_TTL_MS = 7 * 24 * 3600 * 1000;
const PURGE_EVERY_CLAIMS = 500;

interface RecordRow {
  state: RecordState;
  fingerprint: string;
  field_hashes: string;
  owner: string;
  lease_expires_at: number | null;
  outcome: string | null;
  caps: string;
  created_at: number;
  updated_at: number;
  completed_at: number | null;
  expires_at: number;
  /** After a takeover: the owner it took the key from, and since when the outcome is unknown. */
  taken_over_from: string | null;
  taken_over_since: number | null;
}

const SQL = {
  selectRecord: "SELECT * FROM idempotency_records WHERE scope = ? AND key = ?",
  deleteRecord: "DELETE FROM idempotency_records WHERE scope = ? AND key = ?",
  insertRecord: `INSERT INTO idempotency_records (scope, key, state, fingerprint, field_hashes, owner,
    lease_expires_at, caps, created_at, updated_at, expires_at) VALUES (?, ?, 'in_progress', ?, ?, ?, ?, ?, ?, ?, ?)`,
  takeOver: `UPDATE idempotency_records SET state = 'in_progress', owner = ?, lease_expires_at = ?, updated_at = ?,
    expires_at = ?, taken_over_from = ?, taken_over_since = ? WHERE scope = ? AND key = ?`,
  reclaim: `UPDATE idempotency_records SET lease_expires_at = ?, updated_at = ?, expires_at = ?
    WHERE scope = ? AND key = ?`,
  complete: `UPDATE idempotency_records SET state = 'completed', outcome = ?, lease_expires_at = NULL,
    completed_at = ?, updated_at = ?, expires_at = ? WHERE scope = ? AND key = ?`,
  markUnknown: `UPDATE idempotency_records SET state = 'unknown', lease_expires_at = NULL, updated_at = ?
    WHERE scope = ? AND key = ?`,
  renew: "UPDATE idempotency_records SET lease_expires_at = ?, updated_at = ? WHERE scope = ? AND key = ?",
  selectCap: "SELECT used, expires_at FROM cap_counters WHERE scope = ? AND run_id = ? AND name = ?",
  reserveCap: `INSERT INTO cap_counters (scope, run_id, name, used, expires_at) VALUES (?, ?, ?, 1, ?)
    ON CONFLICT (scope, run_id, name) DO UPDATE SET
      used = CASE WHEN cap_counters.expires_at <= ? THEN 1 ELSE cap_counters.used + 1 END,
      expires_at = max(cap_counters.expires_at, excluded.expires_at)`,
  refundCap: `UPDATE cap_counters SET used = used - 1
    WHERE scope = ? AND run_id = ? AND name = ? AND used > 0 AND expires_at > ?`,
  purgeRecords: "DELETE FROM idempotency_records WHERE expires_at <= ?",
  purgeCaps: "DELETE FROM cap_counters WHERE expires_at <= ?",
} as const;

/**
 * Opens the embedded idempotency store (`node:sqlite`): WAL, a busy timeout, and one
 * `BEGIN IMMEDIATE` transaction per transition, so several processes can share the file and
 * it survives restarts. Calls are synchronous under the hood: a call waiting on another
 * process's lock blocks this process for up to `busyTimeoutMs`.
 *
 * Throws `ToolError("STORE_UNAVAILABLE")` when the file cannot be opened; every method throws
 * it when the database is locked past the busy timeout or fails to read or write. A file that
 * holds no identity for the scope yet (new, 0 bytes, or never used by this server and
 * environment) gets one, and a warning naming the file says a new store was created: writes
 * recorded anywhere else before are unknown to it.
 */
export function openSqliteStore(options: SqliteStoreOptions): IdempotencyStore {
  assertStoreScope(options);
  const db = SqliteDatabase.open(options.path, options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS);
  const scope = `${options.server}:${options.env}`;
  let identity: ReturnType<typeof ensureSqliteIdentity>;
  try {
    identity = ensureSqliteIdentity(db, scope, (options.now ?? Date.now)());
  } catch (error) {
    db.close();
    throw error;
  }
  if (identity.created) {
    options.logger?.warn(
      { path: options.path, storeId: identity.id, scope },
      `created a new idempotency store in ${options.path}: earlier writes of ${options.server} (${options.env}) are unknown to it (the file was new, empty or never used by this server)`,
    );
  }
  return new SqliteStore(db, options, { id: identity.id, createdAt: identity.createdAt });
}

class SqliteStore implements IdempotencyStore {
  readonly kind = "sqlite" as const;
  private readonly db: SqliteDatabase;
  private readonly reviews: SqliteReviewQueue;
  private readonly options: SqliteStoreOptions;
  private readonly scope: string;
  private readonly now: () => number;
  private readonly capTtlMs: number;
  private claimsSincePurge = 0;
  private readonly cache: SqliteCacheOps;

  private readonly storeIdentity: StoreIdentity;

  constructor(db: SqliteDatabase, options: SqliteStoreOptions, identity: StoreIdentity) {
    this.db = db;
    this.storeIdentity = identity;
    this.options = options;
    this.scope = `${options.server}:${options.env}`;
    this.now = options.now ?? Date.now;
    this.capTtlMs = options.capTtlMs ?? DEFAULT_CAP_TTL_MS;
    this.reviews = new SqliteReviewQueue(db, options, this.now);
    this.cache = new SqliteCacheOps(db, {
      scope: this.scope,
      now: this.now,
      capTtlMs: this.capTtlMs,
      ...(options.logger ? { logger: options.logger } : {}),
    });
    this.purgeExpired();
  }

  // The TTL cache and unit caps live in sqlite-cache.ts.
  cacheGet(key: string): Promise<CacheEntry | null> {
    return this.cache.cacheGet(key);
  }
  cacheSet(key: string, entry: NewCacheEntry, ttlMs: number): Promise<void> {
    return this.cache.cacheSet(key, entry, ttlMs);
  }
  cacheLockFill(key: string, owner: string, leaseMs: number): Promise<boolean> {
    return this.cache.cacheLockFill(key, owner, leaseMs);
  }
  cacheUnlockFill(key: string, owner: string): Promise<boolean> {
    return this.cache.cacheUnlockFill(key, owner);
  }
  reserveCapUnits(cap: CapUnits, units?: number): Promise<CapUnitsReservation> {
    return this.cache.reserveCapUnits(cap, units);
  }
  refundCapUnits(name: string, runId: string, units?: number): Promise<number> {
    return this.cache.refundCapUnits(name, runId, units);
  }

  async claim(request: ClaimRequest): Promise<ClaimResult> {
    // A completed record is immutable until it expires, so a replay needs no write lock.
    const seen = this.db.run("claim", () => this.record(request.key, this.now()));
    if (seen?.state === "completed") return this.existing(seen, request, this.now());
    const result = this.db.transaction("claim", () => this.claimLocked(request, this.now()));
    if (++this.claimsSincePurge >= PURGE_EVERY_CLAIMS) this.purgeExpired();
    return result;
  }

  async complete(key: string, owner: string, outcome: StoredOutcome, ttlMs: number): Promise<boolean> {
    return this.fenced("complete", key, owner, (now) => {
      this.stmt("complete").run(JSON.stringify(outcome), now, now, now + ttlMs, this.scope, key);
    });
  }

  async release(key: string, owner: string): Promise<boolean> {
    return this.fenced("release", key, owner, (now, row) => {
      this.stmt("deleteRecord").run(this.scope, key);
      releaseWindows(this.prepare, this.scope, key);
      for (const [runId, name] of JSON.parse(row.caps) as Array<[string, string]>) {
        this.stmt("refundCap").run(this.scope, runId, name, now);
      }
    });
  }

  async markUnknown(key: string, owner: string): Promise<boolean> {
    return this.fenced("markUnknown", key, owner, (now) => {
      this.stmt("markUnknown").run(now, this.scope, key);
    });
  }

  async renew(key: string, owner: string, leaseMs: number): Promise<boolean> {
    const inProgress = (row: RecordRow) => (row.state === "in_progress" ? undefined : "state");
    return this.fenced(
      "renew",
      key,
      owner,
      (now) => {
        this.stmt("renew").run(now + leaseMs, now, this.scope, key);
      },
      inProgress,
    );
  }

  async get(key: string): Promise<IdempotencyRecord | null> {
    const row = this.db.run("get", () => this.record(key, this.now()));
    if (row === null) return null;
    return {
      key,
      state: row.state,
      fingerprint: row.fingerprint,
      owner: row.owner,
      leaseExpiresAt: row.lease_expires_at,
      outcome: row.outcome === null ? null : (JSON.parse(row.outcome) as StoredOutcome),
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }

  async capUsage(name: string, runId: string): Promise<number> {
    const row = this.db.run("capUsage", () => this.stmt("selectCap").get(this.scope, runId, name)) as
      | { used: number; expires_at: number }
      | undefined;
    return row === undefined || row.expires_at <= this.now() ? 0 : row.used;
  }

  async addReview(review: NewReview): Promise<string> {
    return this.reviews.add(review);
  }

  async listReviews(options: { status?: "open" | "resolved"; limit?: number } = {}): Promise<ReviewRecord[]> {
    return this.reviews.list(options);
  }

  async getReview(id: string): Promise<ReviewRecord | null> {
    return this.reviews.get(id);
  }

  async resolveReview(id: string, resolution: string): Promise<boolean> {
    return this.reviews.resolve(id, resolution);
  }

  async ping(): Promise<boolean> {
    try {
      this.db.run("ping", () => this.db.statement("SELECT 1").get());
      return true;
    } catch {
      return false;
    }
  }

  async identity(): Promise<StoreIdentity> {
    return { ...this.storeIdentity };
  }

  async close(): Promise<void> {
    this.db.close();
  }

  /** The live record under `key`, or null; an expired one is treated as gone. */
  private record(key: string, now: number): RecordRow | null {
    const row = this.stmt("selectRecord").get(this.scope, key) as RecordRow | undefined;
    return row === undefined || row.expires_at <= now ? null : row;
  }

  /** The order of checks of the contract: existing record first, then caps. Runs under the write lock. */
  private claimLocked(request: ClaimRequest, now: number): ClaimResult {
    const row = this.record(request.key, now);
    if (row !== null) {
      if (
        row.state === "in_progress" &&
        row.owner === request.owner &&
        row.fingerprint === request.fingerprint
      ) {
        return this.reclaim(row, request, now);
      }
      const decided = this.existing(row, request, now);
      if (decided.status !== "unknown") return decided;
      this.stmt("takeOver").run(
        request.owner,
        now + request.leaseMs,
        now,
        now + request.ttlMs,
        decided.previousOwner,
        decided.since,
        this.scope,
        request.key,
      );
      return decided;
    }
    // The row may exist but be expired: forget it before inserting a fresh one.
    this.stmt("deleteRecord").run(this.scope, request.key);
    for (const cap of request.caps) {
      const counter = this.stmt("selectCap").get(this.scope, cap.runId, cap.name) as
        | { used: number; expires_at: number }
        | undefined;
      const used = counter === undefined || counter.expires_at <= now ? 0 : counter.used;
      if (used + 1 > cap.limit) return { status: "cap_exceeded", cap: cap.name, limit: cap.limit, used };
    }
    const windows = request.windows ?? [];
    const held = activeWindow(this.prepare, this.scope, windows, now);
    if (held) return held;
    takeWindows(this.prepare, this.scope, request.key, windows, now);
    const capExpiresAt = now + Math.max(this.capTtlMs, request.ttlMs);
    for (const cap of request.caps)
      this.stmt("reserveCap").run(this.scope, cap.runId, cap.name, capExpiresAt, now);
    this.stmt("insertRecord").run(
      this.scope,
      request.key,
      request.fingerprint,
      JSON.stringify(request.fieldHashes),
      request.owner,
      now + request.leaseMs,
      JSON.stringify(request.caps.map((cap) => [cap.runId, cap.name])),
      now,
      now,
      now + request.ttlMs,
    );
    return { status: "acquired" };
  }

  /**
   * The same owner claiming again: its earlier claim was applied but the answer never reached
   * it (a timeout), so it has not acted. It gets what that claim answered, with the lease
   * refreshed and no cap reserved again: `unknown` after a takeover (it must reconcile).
   */
  private reclaim(row: RecordRow, request: ClaimRequest, now: number): ClaimResult {
    this.stmt("reclaim").run(now + request.leaseMs, now, now + request.ttlMs, this.scope, request.key);
    if (row.taken_over_from === null || row.taken_over_from === undefined) return { status: "acquired" };
    return { status: "unknown", since: row.taken_over_since ?? 0, previousOwner: row.taken_over_from };
  }

  /** What a claim meets on an existing record; `unknown` means the caller must take it over. */
  private existing(row: RecordRow, request: ClaimRequest, now: number): ClaimResult {
    if (row.fingerprint !== request.fingerprint) {
      return {
        status: "key_reused",
        differingFields: differingFields(JSON.parse(row.field_hashes), request.fieldHashes),
      };
    }
    if (row.state === "completed") {
      return {
        status: "replay",
        outcome: JSON.parse(row.outcome ?? "null"),
        completedAt: row.completed_at ?? 0,
      };
    }
    const lease = row.lease_expires_at ?? 0;
    if (row.state === "in_progress" && lease > now) return { status: "in_progress", leaseExpiresAt: lease };
    return {
      status: "unknown",
      since: row.state === "in_progress" ? lease : row.updated_at,
      previousOwner: row.owner,
    };
  }

  private fenced(
    operation: "complete" | "release" | "markUnknown" | "renew",
    key: string,
    owner: string,
    apply: (now: number, row: RecordRow) => void,
    refuse: (row: RecordRow) => RefusalReason | undefined = () => undefined,
  ): boolean {
    const refusal = this.db.transaction(operation, (): RefusalReason | undefined => {
      const now = this.now();
      const row = this.record(key, now);
      if (row === null) return "missing";
      if (row.owner !== owner) return "owner";
      if (row.state === "completed") return "completed";
      const refused = refuse(row);
      if (refused === undefined) apply(now, row);
      return refused;
    });
    if (refusal === undefined) return true;
    logRefusedTransition(this.options.logger, "sqlite", operation, key, refusal);
    return false;
  }

  private purgeExpired(): void {
    this.claimsSincePurge = 0;
    try {
      this.db.transaction("purge", () => {
        const now = this.now();
        this.stmt("purgeRecords").run(now);
        this.stmt("purgeCaps").run(now);
        purgeWindows(this.prepare, now);
      });
    } catch (err) {
      // Purging is housekeeping; a busy file must not fail the claim that triggered it.
      this.options.logger?.debug({ store: "sqlite", err }, "idempotency purge skipped");
    }
  }

  private readonly prepare = (sql: string) => this.db.statement(sql);

  private stmt(name: keyof typeof SQL) {
    return this.db.statement(SQL[name]);
  }
}
