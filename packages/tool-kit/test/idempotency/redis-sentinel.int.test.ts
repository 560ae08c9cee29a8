import { expect, it } from "vitest";
import { ToolError } from "../../src/errors/index.js";
import { openStore } from "../../src/idempotency/open-store.js";
import { startRedisSentinel } from "./redis-topology.js";
import { claimOf, sleep } from "./store-harness.js";

// A primary is SIGKILLed in the middle of concurrent duplicate writes; Sentinel promotes a
// replica. Claims wait for one replica (WAIT), so none the old primary acknowledged is lost:
// every key is executed exactly once, and the writes resume on the new primary.
it("keeps every write at most once through a Sentinel failover, then resumes", {
  timeout: 180_000,
}, async () => {
  const sentinel = await startRedisSentinel();
  const store = await openStore({ url: sentinel.url, server: "failover", env: "test", timeoutMs: 1000 });
  try {
    const executed = new Map<string, number>(); // what the "vendor" did, per key
    const failures: number[] = []; // when a call met STORE_UNAVAILABLE
    let killedAt = 0;
    let firstSuccessAfterKill = 0;
    const LEASE_MS = 2_000;

    const write = async (key: string): Promise<void> => {
      for (;;) {
        try {
          const request = claimOf(key, { key }, { leaseMs: LEASE_MS });
          const claim = await store.claim(request);
          if (killedAt > 0 && firstSuccessAfterKill === 0) firstSuccessAfterKill = performance.now();
          if (claim.status === "replay") return;
          if (claim.status === "in_progress") {
            await sleep(50);
            continue;
          }
          if (claim.status !== "acquired" && claim.status !== "unknown")
            throw new Error(`unexpected ${claim.status}`);
          // Reconcile an unknown outcome with the vendor before acting, as the pipeline does.
          if (claim.status === "acquired" || !executed.has(key))
            executed.set(key, (executed.get(key) ?? 0) + 1);
          await store.complete(key, request.owner, { kind: "ok", result: { key } }, 3_600_000);
          return;
        } catch (error) {
          if (!(error instanceof ToolError) || error.code !== "STORE_UNAVAILABLE") throw error;
          failures.push(performance.now());
          await sleep(100);
        }
      }
    };

    const keys = Array.from({ length: 150 }, (_, i) => `log_activity_note:key-${i}`);
    let next = 0;
    let done = 0;
    const worker = async () => {
      while (next < keys.length) {
        const key = keys[next++]!;
        // Two callers race for each key, as duplicate sub-agents would.
        await Promise.all([write(key), write(key)]);
        done += 1;
      }
    };
    const killer = (async () => {
      while (done < 40) await sleep(20);
      await sentinel.killPrimary();
      killedAt = performance.now();
    })();
    await Promise.all([killer, ...Array.from({ length: 6 }, worker)]);

    expect(done).toBe(keys.length);
    expect(keys.filter((key) => executed.get(key) !== 1)).toEqual([]);
    // The kill did bite: calls met STORE_UNAVAILABLE, and succeeded again on the new primary.
    expect(failures.filter((at) => at >= killedAt).length).toBeGreaterThan(0);
    expect(firstSuccessAfterKill).toBeGreaterThan(killedAt);
    const outage = (Math.max(...failures) - killedAt) / 1000;
    process.stderr.write(
      `sentinel failover: STORE_UNAVAILABLE for ${outage.toFixed(2)} s after the primary was killed (${failures.length} failed calls)\n`,
    );
  } finally {
    await store.close();
    await sentinel.stop();
  }
});

it("reads replica_acks from a redis+sentinel URL and refuses a bad one", async () => {
  await expect(
    openStore({ url: "redis+sentinel://127.0.0.1:1/mymaster?replica_acks=9", server: "s", env: "test" }),
  ).rejects.toThrow(/replica_acks must be 0 to 5/);
});
