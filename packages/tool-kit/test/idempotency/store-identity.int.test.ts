import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, truncateSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { afterAll, describe, expect, inject, it } from "vitest";
import { createRedisStore } from "../../src/idempotency/redis-store.js";
import { openSqliteStore } from "../../src/idempotency/sqlite-store.js";
import { createLogger } from "../../src/logging/index.js";

const dir = mkdtempSync(join(tmpdir(), "gtm-identity-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function capture() {
  const lines: string[] = [];
  const logger = createLogger({ write: (l) => lines.push(l) });
  const warnings = () =>
    lines
      .map((l) => JSON.parse(l) as { level: string; msg: string; path?: string; storeId?: string })
      .filter((l) => l.level === "warn");
  return { logger, warnings };
}

describe("a new or emptied state file", () => {
  it("warns, naming the file, that a new store was created; a reopened one keeps its identity quietly", async () => {
    const path = join(dir, "crm-sandbox.sqlite");
    const first = capture();
    const created = openSqliteStore({ path, server: "crm", env: "sandbox", logger: first.logger });
    const identity = await created.identity();
    await created.close();
    expect(first.warnings()).toHaveLength(1);
    expect(first.warnings()[0]).toMatchObject({ path, storeId: identity.id });
    expect(first.warnings()[0]?.msg).toContain(`created a new idempotency store in ${path}`);

    const again = capture();
    const reopened = openSqliteStore({ path, server: "crm", env: "sandbox", logger: again.logger });
    expect(await reopened.identity()).toEqual(identity);
    await reopened.close();
    expect(again.warnings()).toEqual([]);

    // Truncated to 0 bytes between runs: SQLite takes it for a new database.
    truncateSync(path, 0);
    const emptied = capture();
    const fresh = openSqliteStore({ path, server: "crm", env: "sandbox", logger: emptied.logger });
    const next = await fresh.identity();
    await fresh.close();
    expect(next.id).not.toBe(identity.id);
    expect(emptied.warnings()).toHaveLength(1);
    expect(emptied.warnings()[0]).toMatchObject({ path, storeId: next.id });
  });
});

describe("a new or flushed Redis", () => {
  it("warns once that a new store was created, and gives a new identity after a flush of its keys", async () => {
    const url = inject("redisUrl");
    const server = `id-${randomUUID().slice(0, 8)}`;
    const first = capture();
    const store = createRedisStore({ url, server, env: "test", logger: first.logger });
    const identity = await store.identity();
    expect(await store.identity()).toEqual(identity);
    expect(first.warnings()).toHaveLength(1);
    expect(first.warnings()[0]?.msg).toMatch(/created a new idempotency store in Redis/);
    const peerLog = capture();
    const peer = createRedisStore({ url, server, env: "test", logger: peerLog.logger });
    expect(await peer.identity()).toEqual(identity);
    expect(peerLog.warnings()).toEqual([]);

    const admin = new Redis(url);
    const keys = await admin.keys(`gtm:{${server}:test}:*`);
    if (keys.length > 0) await admin.del(...keys);
    await admin.quit();
    const after = capture();
    const reborn = createRedisStore({ url, server, env: "test", logger: after.logger });
    expect((await reborn.identity()).id).not.toBe(identity.id);
    expect(after.warnings()).toHaveLength(1);
    await Promise.all([store.close(), peer.close(), reborn.close()]);
  });
});
