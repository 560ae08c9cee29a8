import { describe, expect, it } from "vitest";
import type { StoredOutcome } from "../../src/idempotency/store.js";
import { claimOf, keyOf, type StoreHarness } from "./store-harness.js";

const OK: StoredOutcome = { kind: "ok", result: { sent: true } };

/** Run caps reserved with claims: every store must enforce them atomically. */
export function capContract(harness: () => StoreHarness): void {
  describe("caps", () => {
    it("lets exactly N of 4×N concurrent distinct writes acquire under a cap of N", async () => {
      const scope = await harness().openScope();
      const stores = [scope.store, await scope.peer(), await scope.peer()];
      const n = 7;
      const caps = [{ name: "writes", runId: "run-cap", limit: n }];
      const requests = Array.from({ length: 4 * n }, (_, i) => claimOf(keyOf(`cap-${i}`), { i }, { caps }));
      const results = await Promise.all(requests.map((r, i) => stores[i % stores.length]!.claim(r)));

      expect(results.filter((r) => r.status === "acquired")).toHaveLength(n);
      const refused = results.filter((r) => r.status === "cap_exceeded");
      expect(refused).toHaveLength(3 * n);
      for (const r of refused)
        expect(r).toEqual({ status: "cap_exceeded", cap: "writes", limit: n, used: n });
      expect(await scope.store.capUsage("writes", "run-cap")).toBe(n);
      // A refused claim wrote nothing.
      const refusedKey = requests[results.findIndex((r) => r.status === "cap_exceeded")]!.key;
      expect(await scope.store.get(refusedKey)).toBeNull();
    });

    it("still replays completed keys and reports in-progress keys after the cap is reached", async () => {
      const { store } = await harness().openScope();
      const caps = [{ name: "writes", runId: "run-full", limit: 2 }];
      const done = claimOf(keyOf("done"), { a: 1 }, { caps });
      const running = claimOf(keyOf("running"), { a: 2 }, { caps });
      await store.claim(done);
      await store.claim(running);
      await store.complete(done.key, done.owner, OK, done.ttlMs);
      expect((await store.claim(claimOf(keyOf("third"), { a: 3 }, { caps }))).status).toBe("cap_exceeded");

      expect(await store.claim(claimOf(done.key, { a: 1 }, { caps }))).toMatchObject({
        status: "replay",
        outcome: OK,
      });
      expect((await store.claim(claimOf(running.key, { a: 2 }, { caps }))).status).toBe("in_progress");
      expect(await store.capUsage("writes", "run-full")).toBe(2);
    });

    it("refunds the cap on release, so another write fits again", async () => {
      const { store } = await harness().openScope();
      const caps = [{ name: "writes", runId: "run-refund", limit: 1 }];
      const first = claimOf(keyOf("r1"), { a: 1 }, { caps });
      await store.claim(first);
      expect((await store.claim(claimOf(keyOf("r2"), { a: 2 }, { caps }))).status).toBe("cap_exceeded");
      expect(await store.release(first.key, first.owner)).toBe(true);
      expect(await store.capUsage("writes", "run-refund")).toBe(0);
      expect((await store.claim(claimOf(keyOf("r2"), { a: 2 }, { caps }))).status).toBe("acquired");
      expect(await store.capUsage("writes", "run-refund")).toBe(1);
    });

    it("refunds on release after a takeover the caps the original claim reserved, once", async () => {
      const scope = await harness().openScope();
      const caps = [{ name: "writes", runId: "run-takeover", limit: 3 }];
      const first = claimOf(keyOf("t"), { a: 1 }, { caps, leaseMs: 100 });
      await scope.store.claim(first);
      await scope.advance(150);
      const second = claimOf(first.key, { a: 1 }, { caps });
      expect((await scope.store.claim(second)).status).toBe("unknown");
      expect(await scope.store.capUsage("writes", "run-takeover")).toBe(1);
      expect(await scope.store.release(first.key, second.owner)).toBe(true);
      expect(await scope.store.capUsage("writes", "run-takeover")).toBe(0);
    });

    it("checks every cap before reserving any, and names the one that is full", async () => {
      const { store } = await harness().openScope();
      const writes = { name: "writes", runId: "run-multi", limit: 10 };
      const sends = { name: "sends", runId: "run-multi", limit: 1 };
      expect((await store.claim(claimOf(keyOf("s1"), { a: 1 }, { caps: [writes, sends] }))).status).toBe(
        "acquired",
      );
      expect(await store.claim(claimOf(keyOf("s2"), { a: 2 }, { caps: [writes, sends] }))).toEqual({
        status: "cap_exceeded",
        cap: "sends",
        limit: 1,
        used: 1,
      });
      expect(await store.capUsage("writes", "run-multi")).toBe(1);
      expect((await store.claim(claimOf(keyOf("s3"), { a: 3 }, { caps: [writes] }))).status).toBe("acquired");
      expect(await store.capUsage("writes", "run-multi")).toBe(2);
    });

    it("counts each run separately, and a run id with ':' cannot collide with another cap", async () => {
      const { store } = await harness().openScope();
      await store.claim(claimOf(keyOf("x1"), { a: 1 }, { caps: [{ name: "b:c", runId: "a", limit: 5 }] }));
      await store.claim(claimOf(keyOf("x2"), { a: 2 }, { caps: [{ name: "c", runId: "a:b", limit: 5 }] }));
      expect(await store.capUsage("b:c", "a")).toBe(1);
      expect(await store.capUsage("c", "a:b")).toBe(1);
      expect(await store.capUsage("writes", "never-used")).toBe(0);
    });
  });
}
