import { randomUUID } from "node:crypto";
import type { SqliteDatabase } from "./sqlite-database.js";
import type { NewReview, ReviewRecord } from "./store.js";
import type { StoreScope } from "./store-scope.js";

const MAX_PAGE = 1000;

const SQL = {
  insert: `INSERT INTO review_queue (id, scope, server, env, tool, idempotency_key, args, error, created_at, status)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'open')`,
  list: "SELECT * FROM review_queue WHERE scope = ? ORDER BY seq DESC LIMIT ?",
  listByStatus: "SELECT * FROM review_queue WHERE scope = ? AND status = ? ORDER BY seq DESC LIMIT ?",
  get: "SELECT * FROM review_queue WHERE scope = ? AND id = ?",
  resolve: `UPDATE review_queue SET status = 'resolved', resolved_at = ?, resolution = ?
    WHERE scope = ? AND id = ? AND status = 'open'`,
} as const;

interface ReviewRow {
  id: string;
  server: string;
  env: string;
  tool: string;
  idempotency_key: string;
  args: string;
  error: string;
  created_at: number;
  status: "open" | "resolved";
  resolved_at: number | null;
  resolution: string | null;
}

/** The review queue half of the SQLite store; each method throws STORE_UNAVAILABLE as the store does. */
export class SqliteReviewQueue {
  private readonly db: SqliteDatabase;
  private readonly scope: StoreScope;
  private readonly scopeKey: string;
  private readonly now: () => number;

  constructor(db: SqliteDatabase, scope: StoreScope, now: () => number) {
    this.db = db;
    this.scope = scope;
    this.scopeKey = `${scope.server}:${scope.env}`;
    this.now = now;
  }

  add(review: NewReview): string {
    const id = randomUUID();
    const { server, env } = this.scope;
    this.db.run("addReview", () =>
      this.db
        .statement(SQL.insert)
        .run(
          id,
          this.scopeKey,
          server,
          env,
          review.tool,
          review.idempotencyKey,
          JSON.stringify(review.args),
          JSON.stringify(review.error),
          this.now(),
        ),
    );
    return id;
  }

  list(options: { status?: "open" | "resolved"; limit?: number }): ReviewRecord[] {
    const limit = Math.min(Math.max(Math.floor(options.limit ?? 50), 0), MAX_PAGE);
    const rows = this.db.run("listReviews", () =>
      options.status === undefined
        ? this.db.statement(SQL.list).all(this.scopeKey, limit)
        : this.db.statement(SQL.listByStatus).all(this.scopeKey, options.status, limit),
    ) as unknown as ReviewRow[];
    return rows.map(decode);
  }

  get(id: string): ReviewRecord | null {
    const row = this.db.run("getReview", () => this.db.statement(SQL.get).get(this.scopeKey, id)) as
      | ReviewRow
      | undefined;
    return row === undefined ? null : decode(row);
  }

  resolve(id: string, resolution: string): boolean {
    const result = this.db.run("resolveReview", () =>
      this.db.statement(SQL.resolve).run(this.now(), resolution, this.scopeKey, id),
    );
    return Number(result.changes) === 1;
  }
}

function decode(row: ReviewRow): ReviewRecord {
  return {
    id: row.id,
    server: row.server,
    env: row.env,
    tool: row.tool,
    idempotencyKey: row.idempotency_key,
    args: JSON.parse(row.args),
    error: JSON.parse(row.error),
    createdAt: row.created_at,
    status: row.status,
    resolvedAt: row.resolved_at,
    resolution: row.resolution,
  };
}
