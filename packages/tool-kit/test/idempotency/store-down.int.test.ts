import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isToolError } from "../../src/errors/index.js";
import { openStore } from "../../src/idempotency/open-store.js";
import type { IdempotencyStore } from "../../src/idempotency/store.js";
import { createLogger } from "../../src/logging/index.js";
import { type RedisServerHandle, startRedisServer } from "../../src/testing/redis-server.js";
import { claimOf, keyOf, sleep } from "./store-harness.js";

const ARGS = { account_id: "7" };

/** Resolves with how long `call` took to reject with STORE_UNAVAILABLE; fails if it resolved instead. */
async function unavailableWithin(call: () => Promise<unknown>): Promise<number> {
  const started = Date.now();
  const error = await call().then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(isToolError(error) && error.code, String(error)).toBe("STORE_UNAVAILABLE");
  expect(isToolError(error) && error.retryable).toBe(true);
  return Date.now() - started;
}

/** Whether `condition` becomes true within `ms`. */
async function eventually(condition: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await sleep(25);
  }
  return true;
}

/** Claims until the store answers again, for up to `ms`. */
async function claimWhenBack(store: IdempotencyStore, key: string, ms: number) {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await store.claim(claimOf(key, ARGS));
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await sleep(100);
    }
  }
}

// A dedicated redis-server: stopping the shared one would break the other test files.
describe("Redis store while Redis is down", () => {
  let redis: RedisServerHandle;
  const lines: string[] = [];
  const logger = createLogger({ level: "info", write: (line) => lines.push(line) });

  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await redis.stop();
  });

  it("fails closed with STORE_UNAVAILABLE within 2 s, then works again after a restart on the same port", async () => {
    const store = await openStore({ url: redis.url, server: "down", env: "test", logger });
    const first = claimOf(keyOf("before"), ARGS);
    expect(await store.claim(first)).toEqual({ status: "acquired" });

    await redis.stop();
    const calls: Array<() => Promise<unknown>> = [
      () => store.claim(claimOf(keyOf("during"), ARGS)),
      () => store.complete(first.key, first.owner, { kind: "ok", result: {} }, 60_000),
      () => store.release(first.key, first.owner),
      () => store.renew(first.key, first.owner, 60_000),
      () => store.get(first.key),
      () => store.capUsage("writes", "run"),
      () => store.listReviews(),
    ];
    // Concurrently: each must fail on its own within the bound, none may hang.
    for (const took of await Promise.all(calls.map(unavailableWithin))) expect(took).toBeLessThan(2000);
    expect(await store.ping()).toBe(false);
    // The outage is logged from the connection's close event, which may trail the failed calls.
    expect(await eventually(() => lines.some((line) => line.includes("unreachable")), 3_000)).toBe(true);

    await redis.start();
    // The server kept nothing (no persistence), so the key is free again.
    expect(await claimWhenBack(store, keyOf("after"), 10_000)).toEqual({ status: "acquired" });
    expect(await store.ping()).toBe(true);
    expect(lines.some((line) => line.includes("reachable again"))).toBe(true);
    await store.close();
  });

  it("opens without throwing while Redis is down, and serves once Redis starts", async () => {
    await redis.stop();
    const store = await openStore({ url: redis.url, server: "late", env: "test" });
    expect(await unavailableWithin(() => store.claim(claimOf(keyOf("early"), ARGS)))).toBeLessThan(2000);
    await redis.start();
    expect(await claimWhenBack(store, keyOf("late"), 10_000)).toEqual({ status: "acquired" });
    await store.close();
  });

  it("logs a stale owner's refused transition at warn, without its token", async () => {
    const store = await openStore({ url: redis.url, server: "warn", env: "test", logger });
    const stale = claimOf(keyOf("stale"), ARGS, { leaseMs: 50 });
    await store.claim(stale);
    await sleep(80);
    await store.claim(claimOf(stale.key, ARGS));
    lines.length = 0;
    expect(await store.complete(stale.key, stale.owner, { kind: "ok", result: {} }, 60_000)).toBe(false);
    const warning = lines.map((line) => JSON.parse(line)).find((entry) => entry.operation === "complete");
    expect(warning).toMatchObject({
      level: "warn",
      reason: "owner",
      idempotencyKey: stale.key,
      store: "redis",
    });
    expect(lines.join("")).not.toContain(stale.owner);
    await store.close();
  });
});
