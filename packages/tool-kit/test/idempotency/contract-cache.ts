import { describe, expect, it } from "vitest";
import { ToolError, toToolError } from "../../src/errors/index.js";
import { readThrough } from "../../src/idempotency/read-through.js";
import { claimOf, keyOf, type StoreHarness, sleep } from "./store-harness.js";

const HOUR = 3_600_000;
const FAR = () => Date.now() + 15_000;

/** The TTL cache, its fill lock and unit caps: every store must pass these. */
export function cacheContract(harness: () => StoreHarness): void {
  describe("TTL cache", () => {
    it("stores a hit and a miss with their own TTLs, and a peer reads them", async () => {
      const scope = await harness().openScope();
      const { store } = scope;
      expect(await store.cacheGet("pdl:acme.com")).toBeNull();
      await store.cacheSet("pdl:acme.com", { kind: "hit", value: { name: "Acme", tags: ["b2b"] } }, HOUR);
      await store.cacheSet("pdl:nobody.com", { kind: "miss", value: null }, 30_000);
      const hit = await (await scope.peer()).cacheGet("pdl:acme.com");
      expect(hit).toMatchObject({ kind: "hit", value: { name: "Acme", tags: ["b2b"] } });
      expect(hit!.expiresAt - hit!.storedAt).toBe(HOUR);
      const miss = await store.cacheGet("pdl:nobody.com");
      expect(miss).toMatchObject({ kind: "miss", value: null });
      expect(miss!.expiresAt - miss!.storedAt).toBe(30_000);

      // Expiry, checked only in the direction a loaded machine cannot break: an entry whose
      // TTL has certainly passed is gone (a TTL that must still hold after a step would fail
      // whenever the machine is slower than the TTL; on Redis the clock is the real one).
      await store.cacheSet("pdl:brief.com", { kind: "miss", value: null }, 60);
      await scope.advance(120);
      expect(await store.cacheGet("pdl:brief.com")).toBeNull();
      expect(await store.cacheGet("pdl:acme.com")).toMatchObject({ kind: "hit" });
      // A set replaces the entry, kind and TTL included.
      await store.cacheSet("pdl:acme.com", { kind: "miss", value: { reason: "gone" } }, HOUR);
      expect(await store.cacheGet("pdl:acme.com")).toMatchObject({ kind: "miss", value: { reason: "gone" } });
    });

    it("keeps entries of one scope from another", async () => {
      const a = await harness().openScope();
      const b = await harness().openScope();
      await a.store.cacheSet("k", { kind: "hit", value: 1 }, HOUR);
      expect(await b.store.cacheGet("k")).toBeNull();
    });

    it("gives the fill lock to one owner until it unlocks or its lease lapses", async () => {
      const scope = await harness().openScope();
      const peer = await scope.peer();
      expect(await scope.store.cacheLockFill("k", "owner-a", HOUR)).toBe(true);
      expect(await peer.cacheLockFill("k", "owner-b", HOUR)).toBe(false);
      expect(await peer.cacheUnlockFill("k", "owner-b")).toBe(false);
      expect(await scope.store.cacheUnlockFill("k", "owner-a")).toBe(true);
      expect(await peer.cacheLockFill("k", "owner-b", 60)).toBe(true);
      await scope.advance(120);
      expect(await scope.store.cacheLockFill("k", "owner-c", HOUR)).toBe(true);
      // The lapsed holder cannot release the new holder's lock.
      expect(await peer.cacheUnlockFill("k", "owner-b")).toBe(false);
    });

    it("fills one key once for 40 concurrent lookups over three connections", async () => {
      const scope = await harness().openScope();
      const stores = [scope.store, await scope.peer(), await scope.peer()];
      let fills = 0;
      const results = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          readThrough({
            store: stores[i % 3]!,
            key: "pdl:acme.com",
            ttl: { hitMs: HOUR, missMs: HOUR },
            deadline: FAR(),
            pollMs: 10,
            async fill() {
              fills += 1;
              await sleep(50);
              return { kind: "hit", value: { name: "Acme" } };
            },
          }),
        ),
      );
      expect(fills).toBe(1);
      expect(results.filter((r) => !r.cached)).toHaveLength(1);
      for (const r of results) expect(r).toMatchObject({ kind: "hit", value: { name: "Acme" } });
    });

    it("caches a miss, and serves hits and misses without filling again", async () => {
      const { store } = await harness().openScope();
      let fills = 0;
      const options = {
        store,
        ttl: { hitMs: HOUR, missMs: HOUR },
        deadline: FAR(),
        async fill() {
          fills += 1;
          return { kind: "miss" as const, value: null };
        },
      };
      const first = await readThrough({ ...options, key: "m" });
      expect(first).toMatchObject({ kind: "miss", cached: false });
      await sleep(5);
      const second = await readThrough({ ...options, key: "m" });
      expect(second).toMatchObject({ kind: "miss", cached: true });
      // A cached answer reports when it was fetched, the same instant the fill reported.
      expect(second.storedAt).toBe(first.storedAt);
      expect(fills).toBe(1);
      await store.cacheSet("dated", { kind: "hit", value: 1, storedAt: 1_700_000_000_000 }, HOUR);
      expect(await store.cacheGet("dated")).toMatchObject({ storedAt: 1_700_000_000_000 });
    });
  });

  describe("unit caps", () => {
    it("reserves exactly N of 4×N concurrent units over three connections, and refunds", async () => {
      const scope = await harness().openScope();
      const stores = [scope.store, await scope.peer(), await scope.peer()];
      const cap = { name: "credits", runId: "run-units", limit: 5 };
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => stores[i % 3]!.reserveCapUnits(cap)),
      );
      expect(results.filter((r) => r.status === "reserved")).toHaveLength(5);
      for (const r of results.filter((r) => r.status === "cap_exceeded"))
        expect(r).toEqual({ status: "cap_exceeded", limit: 5, used: 5 });
      expect(await scope.store.capUsage("credits", "run-units")).toBe(5);
      expect(await scope.store.refundCapUnits("credits", "run-units")).toBe(4);
      expect(await scope.store.reserveCapUnits(cap)).toEqual({ status: "reserved", used: 5 });
      expect(await scope.store.refundCapUnits("credits", "run-units", 9)).toBe(0);
      expect(await scope.store.refundCapUnits("credits", "run-units")).toBe(0);
      expect(await scope.store.capUsage("credits", "run-units")).toBe(0);
    });

    it("shares the counter a claim's cap of the same name reserves", async () => {
      const { store } = await harness().openScope();
      const cap = { name: "credits", runId: "run-shared", limit: 2 };
      await store.claim(claimOf(keyOf("c1"), { a: 1 }, { caps: [cap] }));
      expect(await store.reserveCapUnits(cap)).toEqual({ status: "reserved", used: 2 });
      expect((await store.claim(claimOf(keyOf("c2"), { a: 2 }, { caps: [cap] }))).status).toBe(
        "cap_exceeded",
      );
    });

    it("reads through within the cap: hits are free, a full cap refuses the fill, a refused fill refunds", async () => {
      const { store } = await harness().openScope();
      const cap = { name: "credits", runId: "run-read", limit: 2 };
      let fills = 0;
      const lookup = (key: string, fail?: ToolError) =>
        readThrough({
          store,
          key,
          cap,
          ttl: { hitMs: HOUR, missMs: HOUR },
          deadline: FAR(),
          refundOnError: (error) => error.code === "RATE_LIMITED",
          async fill() {
            fills += 1;
            if (fail) throw fail;
            return { kind: "hit", value: key };
          },
        });
      await lookup("a");
      await lookup("a");
      await lookup("a");
      expect(await store.capUsage("credits", "run-read")).toBe(1);
      const timedOut = new ToolError("UPSTREAM_TIMEOUT", "no answer", { sideEffect: "unknown" });
      expect(toToolError(await lookup("b", timedOut).catch((e: unknown) => e)).code).toBe("UPSTREAM_TIMEOUT");
      // Not refunded: the vendor may have answered (and charged) after we stopped listening.
      expect(await store.capUsage("credits", "run-read")).toBe(2);
      const full = toToolError(await lookup("c").catch((e: unknown) => e));
      expect(full.code).toBe("CAP_EXCEEDED");
      expect(full.details).toMatchObject({ cap: "credits", limit: 2, used: 2 });
      expect(fills).toBe(2);
      expect(await lookup("a")).toMatchObject({ cached: true, value: "a" });

      await store.refundCapUnits("credits", "run-read");
      const rate = new ToolError("RATE_LIMITED", "slow down", { retryAfterMs: 1000 });
      expect(toToolError(await lookup("d", rate).catch((e: unknown) => e)).code).toBe("RATE_LIMITED");
      expect(await store.capUsage("credits", "run-read")).toBe(1);
    });
  });
}
