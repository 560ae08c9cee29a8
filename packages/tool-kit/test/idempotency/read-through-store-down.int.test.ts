import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { toToolError } from "../../src/errors/index.js";
import { readThrough } from "../../src/idempotency/read-through.js";
import { createRedisStore } from "../../src/idempotency/redis-store.js";
import { openSqliteStore } from "../../src/idempotency/sqlite-store.js";
import type { IdempotencyStore } from "../../src/idempotency/store.js";

const dir = mkdtempSync(join(tmpdir(), "gtm-read-through-down-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A port nothing listens on: bound, then released. */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A capped read-through whose fill counts its calls. */
async function lookup(store: IdempotencyStore): Promise<{ code: string; fills: number }> {
  let fills = 0;
  const error = await readThrough({
    store,
    key: "company:acme.com",
    ttl: { hitMs: 60_000, missMs: 60_000 },
    cap: { name: "credits", runId: "run-down", limit: 100 },
    deadline: Date.now() + 10_000,
    async fill() {
      fills += 1;
      return { kind: "hit", value: 1 };
    },
  }).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  return { code: error === undefined ? "ok" : toToolError(error).code, fills };
}

describe("readThrough while the store is down fails closed: nothing is sent", () => {
  it("on Redis (unreachable)", async () => {
    const store = createRedisStore({
      url: `redis://127.0.0.1:${await deadPort()}`,
      server: "enrichment",
      env: "test",
      timeoutMs: 200,
    });
    try {
      expect(await lookup(store)).toEqual({ code: "STORE_UNAVAILABLE", fills: 0 });
    } finally {
      await store.close();
    }
  });

  it("on SQLite (closed under the caller)", async () => {
    const store = openSqliteStore({ path: join(dir, "state.sqlite"), server: "enrichment", env: "test" });
    await store.close();
    expect(await lookup(store)).toEqual({ code: "STORE_UNAVAILABLE", fills: 0 });
  });
});
