import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterAll, describe, expect, it } from "vitest";
import { isToolError } from "../../src/errors/index.js";
import { openSqliteStore } from "../../src/idempotency/sqlite-store.js";
import type { IdempotencyStore } from "../../src/idempotency/store.js";
import { createLogger } from "../../src/logging/index.js";
import { claimOf, keyOf } from "./store-harness.js";

const dir = mkdtempSync(join(tmpdir(), "gtm-idem-lock-"));
const opened: IdempotencyStore[] = [];
afterAll(async () => {
  await Promise.all(opened.map((store) => store.close()));
  rmSync(dir, { recursive: true, force: true });
});

function open(path: string, extra: { busyTimeoutMs?: number; now?: () => number } = {}) {
  const store = openSqliteStore({ path, server: "crm", env: "test", ...extra });
  opened.push(store);
  return store;
}

const OK = { kind: "ok" as const, result: { id: "1" } };

describe("SQLite store specifics", () => {
  it("fails with STORE_UNAVAILABLE after the busy timeout while another process holds the write lock, and replays meanwhile", async () => {
    const path = join(dir, "locked.sqlite");
    const store = open(path, { busyTimeoutMs: 200 });
    const done = claimOf(keyOf("done"), { a: 1 });
    await store.claim(done);
    await store.complete(done.key, done.owner, OK, 60_000);

    const other = new DatabaseSync(path);
    other.exec("BEGIN IMMEDIATE");
    try {
      const started = Date.now();
      const error = await store.claim(claimOf(keyOf("new"), { a: 2 })).catch((err: unknown) => err);
      expect(isToolError(error) && error.code).toBe("STORE_UNAVAILABLE");
      expect(Date.now() - started).toBeGreaterThanOrEqual(150);
      expect(Date.now() - started).toBeLessThan(2000);
      // A replay needs no write lock: it is answered while the writer holds the file.
      expect(await store.claim(claimOf(done.key, { a: 1 }))).toMatchObject({ status: "replay", outcome: OK });
    } finally {
      other.exec("ROLLBACK");
      other.close();
    }
    expect((await store.claim(claimOf(keyOf("new"), { a: 2 }))).status).toBe("acquired");
  });

  it("keeps records across a restart: completed keys replay, held keys stay in progress", async () => {
    const path = join(dir, "restart.sqlite");
    const before = open(path);
    const done = claimOf(keyOf("done"), { a: 1 });
    const held = claimOf(keyOf("held"), { a: 2 }, { caps: [{ name: "writes", runId: "r", limit: 5 }] });
    await before.claim(done);
    await before.complete(done.key, done.owner, OK, 60_000);
    await before.claim(held);
    await before.close();

    const after = open(path);
    expect(await after.claim(claimOf(done.key, { a: 1 }))).toMatchObject({ status: "replay", outcome: OK });
    expect((await after.claim(claimOf(held.key, { a: 2 }))).status).toBe("in_progress");
    expect(await after.capUsage("writes", "r")).toBe(1);
    expect(await after.complete(held.key, held.owner, OK, 60_000)).toBe(true);
  });

  it("purges expired rows when a store opens", async () => {
    const path = join(dir, "purge.sqlite");
    // A purely virtual clock: it moves only when the test moves it.
    let now = Date.parse("2026-11-21T12:00:00Z");
    const store = open(path, { now: () => now });
    for (let i = 0; i < 5; i++) {
      const claim = claimOf(keyOf(`p${i}`), { i }, { ttlMs: 1000 });
      await store.claim(claim);
      await store.complete(claim.key, claim.owner, OK, 1000);
    }
    const count = () => {
      const db = new DatabaseSync(path);
      const row = db.prepare("SELECT count(*) AS n FROM idempotency_records").get() as { n: number };
      db.close();
      return row.n;
    };
    expect(count()).toBe(5);
    now += 5000;
    open(path, { now: () => now });
    expect(count()).toBe(0);
  });

  it("fails with STORE_UNAVAILABLE once closed", async () => {
    const store = open(join(dir, "closed.sqlite"));
    await store.close();
    const error = await store.get(keyOf("x")).catch((err: unknown) => err);
    expect(isToolError(error) && error.code).toBe("STORE_UNAVAILABLE");
    expect(await store.ping()).toBe(false);
  });

  it("refuses to open a path it cannot create, with STORE_UNAVAILABLE", () => {
    const blocker = join(dir, "plain-file");
    new DatabaseSync(blocker).close();
    let error: unknown;
    try {
      open(join(blocker, "child", "state.sqlite"));
    } catch (err) {
      error = err;
    }
    expect(isToolError(error) && error.code).toBe("STORE_UNAVAILABLE");
  });

  it("logs a stale owner's refused transition at warn, without its token", async () => {
    const lines: string[] = [];
    let now = Date.parse("2026-11-21T12:00:00Z");
    const store = openSqliteStore({
      path: join(dir, "warn.sqlite"),
      server: "crm",
      env: "test",
      now: () => now,
      logger: createLogger({ write: (line) => lines.push(line) }),
    });
    opened.push(store);
    const stale = claimOf(keyOf("stale"), { a: 1 }, { leaseMs: 100 });
    await store.claim(stale);
    now += 200;
    await store.claim(claimOf(stale.key, { a: 1 }));
    expect(await store.release(stale.key, stale.owner)).toBe(false);
    const warning = lines.map((line) => JSON.parse(line)).find((entry) => entry.operation === "release");
    expect(warning).toMatchObject({
      level: "warn",
      reason: "owner",
      idempotencyKey: stale.key,
      store: "sqlite",
    });
    expect(lines.join("")).not.toContain(stale.owner);
  });
});
