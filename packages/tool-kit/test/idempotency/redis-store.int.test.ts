import { randomUUID } from "node:crypto";
import { inject } from "vitest";
import { createRedisStore } from "../../src/idempotency/redis-store.js";
import type { IdempotencyStore } from "../../src/idempotency/store.js";
import { describeStoreContract } from "./store-contract.js";
import { type StoreHarness, sleep } from "./store-harness.js";

describeStoreContract("redis", async (): Promise<StoreHarness> => {
  const url = inject("redisUrl");
  const opened: IdempotencyStore[] = [];
  const open = async (server: string) => {
    const store = createRedisStore({ url, server, env: "test" });
    opened.push(store);
    if (!(await store.ping())) throw new Error(`Redis at ${url} does not answer`);
    return store;
  };
  return {
    name: "redis",
    exactClock: false,
    async openScope() {
      // A unique server name per scope: tests share one Redis without seeing each other's keys.
      const server = `t-${randomUUID().slice(0, 8)}`;
      return {
        store: await open(server),
        peer: () => open(server),
        // Leases run on Redis server time, which only waiting moves.
        advance: (ms) => sleep(ms + 10),
      };
    },
    async close() {
      await Promise.all(opened.map((store) => store.close()));
    },
  };
});
