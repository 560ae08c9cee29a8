import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterAll, describe, expect, it } from "vitest";
import { SCHEMA_VERSION } from "../../src/idempotency/sqlite-schema.js";
import { openSqliteStore } from "../../src/idempotency/sqlite-store.js";
import { claimOf, keyOf } from "./store-harness.js";

const dir = mkdtempSync(join(tmpdir(), "gtm-cache-migrate-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("SQLite schema migration to the TTL cache (version 4)", () => {
  it("adds the cache tables to a version 3 file, keeping its records", async () => {
    const path = join(dir, "v3.sqlite");
    const claim = claimOf(keyOf("kept"), { a: 1 });
    // A version 3 file: today's tables without the cache's, user_version 3.
    const before = openSqliteStore({ path, server: "enrichment", env: "test" });
    await before.claim(claim);
    await before.close();
    const downgrade = new DatabaseSync(path);
    downgrade.exec("DROP TABLE cache_entries; DROP TABLE cache_fill_locks; PRAGMA user_version = 3;");
    downgrade.close();

    const store = openSqliteStore({ path, server: "enrichment", env: "test" });
    try {
      expect(await store.get(claim.key)).toMatchObject({ state: "in_progress", owner: claim.owner });
      await store.cacheSet("pdl:acme.com", { kind: "hit", value: { name: "Acme" } }, 60_000);
      expect(await store.cacheGet("pdl:acme.com")).toMatchObject({ kind: "hit", value: { name: "Acme" } });
      expect(await store.cacheLockFill("pdl:acme.com", "me", 1_000)).toBe(true);
    } finally {
      await store.close();
    }
    const check = new DatabaseSync(path);
    expect(SCHEMA_VERSION).toBe(4);
    expect(check.prepare("PRAGMA user_version").get()).toEqual({ user_version: 4 });
    check.close();
  });
});
