import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ReadThroughResult, readThrough } from "../../src/idempotency/read-through.js";
import { createRedisStore } from "../../src/idempotency/redis-store.js";
import { openSqliteStore } from "../../src/idempotency/sqlite-store.js";
import type { IdempotencyStore } from "../../src/idempotency/store.js";
import { createLogger } from "../../src/logging/index.js";
import { type RedisServerHandle, startRedisServer } from "../../src/testing/redis-server.js";
import { sleep } from "./store-harness.js";

const KEY = "company:acme.com";
const ACME = { name: "Acme" };

/** A store under test that can be taken down (its writes fail) and brought back. */
interface Outage {
  /** Two connections to one store: this process's and another process's. */
  open(): { store: IdempotencyStore; peer: IdempotencyStore };
  down(): Promise<void>;
  up(): Promise<void>;
  /** Whether the store keeps what it held across the outage (Redis restarts empty). */
  keepsState: boolean;
}

/** Whether `condition` holds within `ms` (checked every 50 ms). */
async function eventually(condition: () => Promise<boolean> | boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await condition()) return true;
    if (Date.now() > deadline) return false;
    await sleep(50);
  }
}

/**
 * A paid lookup whose store goes down during the fill (after the fill lock and the cap unit,
 * before the cache write): what the fault matrix's "store down mid-call" does to
 * get_account_signals. The fill lease is short, so a lookup made after it lapsed would get the
 * lock and fill again if nothing remembered the value.
 */
function writeLostSuite(name: string, outage: () => Outage): void {
  describe(`readThrough when the cache write after a paid fill fails (${name})`, () => {
    const run = `run-${randomUUID().slice(0, 8)}`;
    const cap = { name: "credits", runId: run, limit: 100 };

    function lookup(
      store: IdempotencyStore,
      counter: { fills: number },
      extra: { onFill?: () => Promise<void>; retryMs?: number; lines?: string[] } = {},
    ): Promise<ReadThroughResult<typeof ACME>> {
      const logger = extra.lines && createLogger({ level: "info", write: (line) => extra.lines!.push(line) });
      return readThrough({
        store,
        key: KEY,
        ttl: { hitMs: 3_600_000, missMs: 3_600_000 },
        cap,
        deadline: Date.now() + 10_000,
        lockLeaseMs: 300,
        pollMs: 10,
        ...(extra.retryMs === undefined ? {} : { cacheWriteRetryMs: extra.retryMs }),
        ...(logger ? { logger } : {}),
        async fill() {
          counter.fills += 1;
          await extra.onFill?.();
          return { kind: "hit", value: { ...ACME } };
        },
      });
    }

    it("serves the paid value in this process until the retried write lands, then every process reads it", async () => {
      const o = outage();
      const { store, peer } = o.open();
      const counter = { fills: 0 };
      const first = await lookup(store, counter, { onFill: () => o.down() });
      expect(first).toMatchObject({ kind: "hit", value: ACME, cached: false });
      // What a caller does with its answer does not change what later lookups are served.
      first.value.name = "changed by the first caller";
      await o.up();
      // Past the first fill's lease: a lookup that did not remember the value would fill again.
      await sleep(400);
      expect(await lookup(store, counter)).toMatchObject({
        value: ACME,
        cached: true,
        storedAt: first.storedAt,
      });
      expect(counter.fills).toBe(1);

      // The retried write lands: another process reads the entry and spends nothing.
      expect(
        await eventually(async () => (await peer.cacheGet(KEY).catch(() => null)) !== null, 15_000),
      ).toBe(true);
      expect(await lookup(peer, counter)).toMatchObject({
        value: ACME,
        cached: true,
        storedAt: first.storedAt,
      });
      expect(counter.fills).toBe(1);
      if (o.keepsState) expect(await peer.capUsage("credits", run)).toBe(1);
    });

    it("answers from the kept value while the store is still down, and gives up with an error log at the bound", async () => {
      const o = outage();
      const { store } = o.open();
      const counter = { fills: 0 };
      const lines: string[] = [];
      const first = await lookup(store, counter, { onFill: () => o.down(), retryMs: 1_500, lines });
      expect(first).toMatchObject({ value: ACME, cached: false });
      // The store cannot take a fill lock now: the kept value answers without going upstream.
      expect(await lookup(store, counter)).toMatchObject({
        value: ACME,
        cached: true,
        storedAt: first.storedAt,
      });
      expect(counter.fills).toBe(1);

      const gaveUp = () =>
        lines.some(
          (line) => line.includes('"level":"error"') && line.includes("cache not written after retries"),
        );
      expect(await eventually(gaveUp, 15_000)).toBe(true);
      await o.up();
      // Given up: the value is no longer kept, so the next lookup goes upstream again.
      expect(
        await eventually(async () => {
          const next = await lookup(store, counter).catch(() => undefined);
          return next?.cached === false;
        }, 15_000),
      ).toBe(true);
      expect(counter.fills).toBe(2);
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), "gtm-read-through-lost-"));
const opened: IdempotencyStore[] = [];
afterAll(async () => {
  await Promise.all(opened.map((store) => store.close().catch(() => undefined)));
  rmSync(dir, { recursive: true, force: true });
});

// SQLite down: another connection holds the write lock past the store's busy timeout.
writeLostSuite("sqlite", () => {
  const path = join(dir, `${randomUUID()}.sqlite`);
  let holder: DatabaseSync | undefined;
  return {
    keepsState: true,
    open() {
      const open = () => {
        const store = openSqliteStore({ path, server: "enrichment", env: "test", busyTimeoutMs: 150 });
        opened.push(store);
        return store;
      };
      return { store: open(), peer: open() };
    },
    async down() {
      holder = new DatabaseSync(path);
      holder.exec("BEGIN EXCLUSIVE");
    },
    async up() {
      holder?.exec("COMMIT");
      holder?.close();
      holder = undefined;
    },
  };
});

// Redis down: its own redis-server stopped (no persistence: the write is lost, not deferred).
describe("on a Redis server that stops", () => {
  let redis: RedisServerHandle;
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await redis.stop();
  });
  writeLostSuite("redis", () => {
    const server = `lost-${randomUUID().slice(0, 8)}`;
    let store: IdempotencyStore | undefined;
    return {
      keepsState: false,
      open() {
        const open = () => {
          const s = createRedisStore({ url: redis.url, server, env: "test", timeoutMs: 300 });
          opened.push(s);
          return s;
        };
        store = open();
        return { store, peer: open() };
      },
      async down() {
        await redis.stop();
      },
      async up() {
        await redis.start();
        // Both connections reconnect on their own; wait until this process's answers.
        expect(await eventually(() => store!.ping(), 15_000)).toBe(true);
      },
    };
  });
});
