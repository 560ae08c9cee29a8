import { randomUUID } from "node:crypto";
import { afterAll } from "vitest";
import { openStore } from "../../src/idempotency/open-store.js";
import type { IdempotencyStore } from "../../src/idempotency/store.js";
import { type RedisClusterHandle, startRedisCluster } from "./redis-topology.js";
import { describeStoreContract } from "./store-contract.js";
import { type StoreHarness, sleep } from "./store-harness.js";

// The whole store contract against a real 3-primary Redis Cluster, reached through a
// redis+cluster:// GTM_STATE_URL exactly as a server would open it.
let cluster: RedisClusterHandle | undefined;
afterAll(async () => cluster?.stop());

describeStoreContract("redis cluster", async (): Promise<StoreHarness> => {
  cluster = await startRedisCluster();
  const url = cluster.url;
  const opened: IdempotencyStore[] = [];
  const open = async (server: string) => {
    const store = await openStore({ url, server, env: "test" });
    opened.push(store);
    if (!(await store.ping())) throw new Error(`the cluster at ${url} does not answer`);
    return store;
  };
  return {
    name: "redis cluster",
    exactClock: false,
    async openScope() {
      // A unique scope per test spreads the hash tags (and so the keys) over all three primaries.
      const server = `t-${randomUUID().slice(0, 8)}`;
      return { store: await open(server), peer: () => open(server), advance: (ms) => sleep(ms + 10) };
    },
    async close() {
      await Promise.all(opened.map((store) => store.close()));
    },
  };
});
