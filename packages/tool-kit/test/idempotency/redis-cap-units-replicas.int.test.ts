import { randomUUID } from "node:crypto";
import { expect, inject, it } from "vitest";
import { toToolError } from "../../src/errors/index.js";
import { createRedisStore } from "../../src/idempotency/redis-store.js";

// With replica acks required (Sentinel), a unit reservation waits for a replica like a claim:
// one the primary acknowledged but a failover lost could let a credit cap be exceeded. Here no
// replica exists, so the reservation fails closed and the unit stays counted (the safe side).
it("fails a unit reservation that no replica holds in time with STORE_UNAVAILABLE, keeping it counted", async () => {
  const url = inject("redisUrl");
  const server = `u-${randomUUID().slice(0, 8)}`;
  const store = createRedisStore({ url, server, env: "test", replicaAcks: 1, timeoutMs: 1000 });
  const plain = createRedisStore({ url, server, env: "test" });
  try {
    // Connected first: the failure below must be the missing replica, not the handshake.
    expect(await store.ping()).toBe(true);
    expect(await plain.ping()).toBe(true);
    const cap = { name: "credits", runId: "run-replicas", limit: 5 };
    const error = await store.reserveCapUnits(cap).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error && toToolError(error).code).toBe("STORE_UNAVAILABLE");
    // The reservation itself was applied: the failure came from waiting for a replica after it.
    expect(await plain.capUsage("credits", "run-replicas")).toBe(1);
    expect(await plain.reserveCapUnits(cap)).toEqual({ status: "reserved", used: 2 });
  } finally {
    await store.close();
    await plain.close();
  }
});
