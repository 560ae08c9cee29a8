import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterAll, describe, expect, it } from "vitest";
import { isToolError } from "../../src/errors/index.js";
import { SCHEMA_VERSION } from "../../src/idempotency/sqlite-schema.js";
import { openSqliteStore } from "../../src/idempotency/sqlite-store.js";
import { claimOf, keyOf } from "./store-harness.js";

const dir = mkdtempSync(join(tmpdir(), "gtm-idem-migrate-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// The records table as schema version 1 created it (before takeovers were remembered).
const V1_RECORDS = `
CREATE TABLE idempotency_records (
  scope TEXT NOT NULL, key TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('in_progress', 'completed', 'unknown')),
  fingerprint TEXT NOT NULL, field_hashes TEXT NOT NULL, owner TEXT NOT NULL,
  lease_expires_at INTEGER, outcome TEXT, caps TEXT NOT NULL,
  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, completed_at INTEGER,
  expires_at INTEGER NOT NULL, PRIMARY KEY (scope, key)
) WITHOUT ROWID;
PRAGMA user_version = 1;
`;

describe("SQLite schema migration", () => {
  it("upgrades a version 1 file in place, keeping its records", async () => {
    const path = join(dir, "v1.sqlite");
    const claim = claimOf(keyOf("old"), { a: 1 });
    const old = new DatabaseSync(path);
    old.exec(V1_RECORDS);
    const now = Date.now();
    old
      .prepare(
        `INSERT INTO idempotency_records (scope, key, state, fingerprint, field_hashes, owner, lease_expires_at,
          caps, created_at, updated_at, expires_at) VALUES (?, ?, 'in_progress', ?, ?, ?, ?, '[]', ?, ?, ?)`,
      )
      .run(
        "crm:test",
        claim.key,
        claim.fingerprint,
        JSON.stringify(claim.fieldHashes),
        claim.owner,
        now + 60_000,
        now,
        now,
        now + 3_600_000,
      );
    old.close();

    const store = openSqliteStore({ path, server: "crm", env: "test" });
    try {
      expect(await store.get(claim.key)).toMatchObject({ state: "in_progress", owner: claim.owner });
      // A record written before the upgrade was never taken over: its owner's retry is acquired.
      expect(await store.claim(claim)).toEqual({ status: "acquired" });
      expect((await store.claim(claimOf(claim.key, { a: 1 }))).status).toBe("in_progress");
    } finally {
      await store.close();
    }
    const check = new DatabaseSync(path);
    expect(check.prepare("PRAGMA user_version").get()).toEqual({ user_version: SCHEMA_VERSION });
    const columns = (
      check.prepare("PRAGMA table_info(idempotency_records)").all() as Array<{ name: string }>
    ).map((c) => c.name);
    expect(columns).toEqual(expect.arrayContaining(["taken_over_from", "taken_over_since"]));
    check.close();
  });

  it("still refuses a file written by a newer schema", () => {
    const path = join(dir, "newer.sqlite");
    const newer = new DatabaseSync(path);
    newer.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`);
    newer.close();
    let error: unknown;
    try {
      openSqliteStore({ path, server: "crm", env: "test" });
    } catch (err) {
      error = err;
    }
    expect(isToolError(error) && error.code).toBe("STORE_UNAVAILABLE");
  });
});
