import { describe, expect, it } from "vitest";
import type { StoredOutcome } from "../../src/idempotency/store.js";
import { claimOf, keyOf, type StoreHarness } from "./store-harness.js";

const ARGS = { account_id: "1001", body: "Called; left a voicemail", occurrence: "2026-11-21" };
const OK: StoredOutcome = { kind: "ok", result: { note_id: "n-1", idempotency_key: "k" } };

/** Claim, complete, lease and fencing behaviour every store must share. */
export function claimContract(harness: () => StoreHarness): void {
  describe("claims", () => {
    it("acquires a new key, then replays the stored outcome once it is completed", async () => {
      const { store } = await harness().openScope();
      const first = claimOf(keyOf("a"), ARGS);
      expect(await store.claim(first)).toEqual({ status: "acquired" });
      expect(await store.get(first.key)).toMatchObject({
        state: "in_progress",
        owner: first.owner,
        outcome: null,
      });
      expect(await store.complete(first.key, first.owner, OK, first.ttlMs)).toBe(true);

      const again = await store.claim(claimOf(first.key, ARGS));
      expect(again).toMatchObject({ status: "replay", outcome: OK });
      expect(again.status === "replay" && again.completedAt).toBeGreaterThan(0);
      expect(await store.get(first.key)).toMatchObject({
        state: "completed",
        outcome: OK,
        leaseExpiresAt: null,
      });
    });

    it("lets exactly one of 100 concurrent claims of one key acquire it, then replays to all 100", async () => {
      const scope = await harness().openScope();
      const stores = [scope.store, await scope.peer(), await scope.peer(), await scope.peer()];
      const key = keyOf("hot");
      const requests = Array.from({ length: 100 }, () => claimOf(key, ARGS));
      const results = await Promise.all(requests.map((r, i) => stores[i % stores.length]!.claim(r)));

      const winners = results.flatMap((r, i) => (r.status === "acquired" ? [requests[i]!] : []));
      expect(winners).toHaveLength(1);
      expect(results.filter((r) => r.status === "in_progress")).toHaveLength(99);
      expect((await scope.store.get(key))?.owner).toBe(winners[0]!.owner);

      expect(await scope.store.complete(key, winners[0]!.owner, OK, 3_600_000)).toBe(true);
      const replays = await Promise.all(requests.map((r, i) => stores[i % stores.length]!.claim(r)));
      expect(replays.map((r) => r.status)).toEqual(Array(100).fill("replay"));
      for (const r of replays) expect(r).toMatchObject({ outcome: OK });
    });

    it("reports key reuse with the names of the differing fields, before and after completion", async () => {
      const { store } = await harness().openScope();
      const first = claimOf(keyOf("reuse"), ARGS);
      await store.claim(first);
      const changed = { ...ARGS, body: "Different text", priority: "high" };
      expect(await store.claim(claimOf(first.key, changed))).toEqual({
        status: "key_reused",
        differingFields: ["body", "priority"],
      });
      await store.complete(first.key, first.owner, OK, first.ttlMs);
      const { occurrence: _dropped, ...withoutOccurrence } = ARGS;
      expect(await store.claim(claimOf(first.key, withoutOccurrence))).toEqual({
        status: "key_reused",
        differingFields: ["occurrence"],
      });
    });

    it("turns an expired lease into unknown and hands the key to the next claimer with a fresh lease", async () => {
      const scope = await harness().openScope();
      const first = claimOf(keyOf("lease"), ARGS, { leaseMs: 100 });
      expect((await scope.store.claim(first)).status).toBe("acquired");
      expect((await scope.store.claim(claimOf(first.key, ARGS))).status).toBe("in_progress");
      await scope.advance(150);

      const second = claimOf(first.key, ARGS, { leaseMs: 30_000 });
      const taken = await scope.store.claim(second);
      expect(taken).toMatchObject({ status: "unknown", previousOwner: first.owner });
      expect(taken.status === "unknown" && taken.since).toBeGreaterThan(0);
      const record = await scope.store.get(first.key);
      expect(record).toMatchObject({ state: "in_progress", owner: second.owner });
      // The new owner's lease is live: a third claimer waits instead of taking over again.
      expect((await scope.store.claim(claimOf(first.key, ARGS))).status).toBe("in_progress");
    });

    it("refuses every transition of a stale owner after a takeover and leaves the record unchanged", async () => {
      const scope = await harness().openScope();
      const stale = claimOf(keyOf("stale"), ARGS, { leaseMs: 100 });
      await scope.store.claim(stale);
      await scope.advance(150);
      const current = claimOf(stale.key, ARGS);
      expect((await scope.store.claim(current)).status).toBe("unknown");
      const before = await scope.store.get(stale.key);

      expect(await scope.store.complete(stale.key, stale.owner, OK, stale.ttlMs)).toBe(false);
      expect(await scope.store.release(stale.key, stale.owner)).toBe(false);
      expect(await scope.store.markUnknown(stale.key, stale.owner)).toBe(false);
      expect(await scope.store.renew(stale.key, stale.owner, 60_000)).toBe(false);
      expect(await scope.store.get(stale.key)).toEqual(before);

      // The current owner is unaffected and can finish; the stale owner still cannot.
      expect(await scope.store.complete(stale.key, current.owner, OK, current.ttlMs)).toBe(true);
      expect(await scope.store.complete(stale.key, stale.owner, { kind: "ok", result: { x: 1 } }, 1000)).toBe(
        false,
      );
      expect((await scope.store.get(stale.key))?.outcome).toEqual(OK);
    });

    it("makes a key marked unknown reconcile on the next claim, without reserving its cap again", async () => {
      const { store } = await harness().openScope();
      const caps = [{ name: "writes", runId: "run-u", limit: 5 }];
      const first = claimOf(keyOf("unknown"), ARGS, { caps });
      await store.claim(first);
      expect(await store.markUnknown(first.key, first.owner)).toBe(true);
      expect(await store.get(first.key)).toMatchObject({ state: "unknown", leaseExpiresAt: null });

      const next = claimOf(first.key, ARGS, { caps });
      expect(await store.claim(next)).toMatchObject({ status: "unknown", previousOwner: first.owner });
      expect(await store.capUsage("writes", "run-u")).toBe(1);
      expect(await store.markUnknown(first.key, first.owner)).toBe(false);
    });

    it("never overwrites a completed record: no takeover, and no later transition succeeds", async () => {
      const scope = await harness().openScope();
      const first = claimOf(keyOf("done"), ARGS, { leaseMs: 100 });
      await scope.store.claim(first);
      await scope.store.complete(first.key, first.owner, OK, first.ttlMs);
      await scope.advance(150);

      expect((await scope.store.claim(claimOf(first.key, ARGS))).status).toBe("replay");
      expect(
        await scope.store.complete(first.key, first.owner, { kind: "ok", result: { other: true } }, 1000),
      ).toBe(false);
      expect(await scope.store.markUnknown(first.key, first.owner)).toBe(false);
      expect(await scope.store.release(first.key, first.owner)).toBe(false);
      expect(await scope.store.renew(first.key, first.owner, 60_000)).toBe(false);
      expect(await scope.store.get(first.key)).toMatchObject({ state: "completed", outcome: OK });
    });

    it("extends the lease on renew, only for the owner of an in-progress key", async () => {
      const scope = await harness().openScope();
      const first = claimOf(keyOf("renew"), ARGS, { leaseMs: 100 });
      await scope.store.claim(first);
      expect(await scope.store.renew(first.key, "someone-else", 60_000)).toBe(false);
      expect(await scope.store.renew(first.key, first.owner, 60_000)).toBe(true);
      await scope.advance(150);
      expect((await scope.store.claim(claimOf(first.key, ARGS))).status).toBe("in_progress");

      expect(await scope.store.markUnknown(first.key, first.owner)).toBe(true);
      const unknown = await scope.store.get(first.key);
      expect(await scope.store.renew(first.key, first.owner, 60_000)).toBe(false);
      expect(await scope.store.get(first.key)).toEqual(unknown);
      expect(await scope.store.renew(keyOf("missing"), first.owner, 60_000)).toBe(false);
    });

    it("forgets a released key, so the next claim acquires it afresh", async () => {
      const { store } = await harness().openScope();
      const first = claimOf(keyOf("release"), ARGS);
      await store.claim(first);
      expect(await store.release(first.key, first.owner)).toBe(true);
      expect(await store.get(first.key)).toBeNull();
      expect(await store.release(first.key, first.owner)).toBe(false);
      // After a release the old arguments no longer bind the key.
      expect(await store.claim(claimOf(first.key, { ...ARGS, body: "new" }))).toEqual({ status: "acquired" });
    });

    it("frees a completed key once its retention expires", async () => {
      const scope = await harness().openScope();
      const first = claimOf(keyOf("ttl"), ARGS);
      await scope.store.claim(first);
      await scope.store.complete(first.key, first.owner, OK, 120);
      expect((await scope.store.claim(claimOf(first.key, ARGS))).status).toBe("replay");
      await scope.advance(200);
      expect(await scope.store.get(first.key)).toBeNull();
      expect(await scope.store.claim(claimOf(first.key, { ...ARGS, body: "later" }))).toEqual({
        status: "acquired",
      });
    });

    it("keeps scopes apart: the same key in another server or environment is another record", async () => {
      const a = await harness().openScope();
      const b = await harness().openScope();
      const first = claimOf(keyOf("scoped"), ARGS);
      await a.store.claim(first);
      expect(await b.store.claim(claimOf(first.key, { other: 1 }))).toEqual({ status: "acquired" });
      expect(await b.store.complete(first.key, first.owner, OK, 1000)).toBe(false);
      expect(await a.store.get(keyOf("never"))).toBeNull();
    });
  });
}

/**
 * A claim retried with the same owner token (its first reply was lost to a client timeout,
 * though the store applied it): the store answers as the first claim did.
 */
export function sameOwnerContract(harness: () => StoreHarness): void {
  describe("a claim repeated by the same owner", () => {
    it("is acquired again, with the lease refreshed and the cap reserved once", async () => {
      const scope = await harness().openScope();
      const caps = [{ name: "writes", runId: "run-same-owner", limit: 1 }];
      const first = claimOf(keyOf("same-owner"), ARGS, { caps, leaseMs: 150 });
      expect(await scope.store.claim(first)).toEqual({ status: "acquired" });
      // A cap of 1 is full now: reserving again would answer cap_exceeded.
      expect(await scope.store.claim({ ...first, leaseMs: 30_000 })).toEqual({ status: "acquired" });
      expect(await scope.store.capUsage("writes", "run-same-owner")).toBe(1);
      expect(await scope.store.get(first.key)).toMatchObject({ state: "in_progress", owner: first.owner });

      // The refreshed lease outlives the first one: another owner still waits.
      await scope.advance(200);
      expect((await scope.store.claim(claimOf(first.key, ARGS, { caps }))).status).toBe("in_progress");
      expect(await scope.store.capUsage("writes", "run-same-owner")).toBe(1);
      expect(await scope.store.complete(first.key, first.owner, OK, first.ttlMs)).toBe(true);
      expect(await scope.store.claim(first)).toMatchObject({ status: "replay", outcome: OK });
    });

    it("still leaves a different owner in_progress, and is key reuse with other arguments", async () => {
      const { store } = await harness().openScope();
      const first = claimOf(keyOf("same-owner-2"), ARGS);
      await store.claim(first);
      expect((await store.claim(first)).status).toBe("acquired");
      expect((await store.claim(claimOf(first.key, ARGS))).status).toBe("in_progress");
      const other = claimOf(first.key, { ...ARGS, body: "other" }, { owner: first.owner });
      expect(await store.claim(other)).toEqual({ status: "key_reused", differingFields: ["body"] });
      expect(await store.get(first.key)).toMatchObject({ state: "in_progress", owner: first.owner });
    });

    it("is acquired again after its own lease lapsed, since that owner never acted", async () => {
      const scope = await harness().openScope();
      const caps = [{ name: "writes", runId: "run-lapsed", limit: 1 }];
      const first = claimOf(keyOf("same-owner-lapsed"), ARGS, { caps, leaseMs: 100 });
      await scope.store.claim(first);
      await scope.advance(150);
      expect(await scope.store.claim({ ...first, leaseMs: 30_000 })).toEqual({ status: "acquired" });
      expect(await scope.store.capUsage("writes", "run-lapsed")).toBe(1);
      expect((await scope.store.claim(claimOf(first.key, ARGS, { caps }))).status).toBe("in_progress");
    });

    it("after a takeover answers unknown again (the caller must still reconcile), reserving nothing", async () => {
      const scope = await harness().openScope();
      const caps = [{ name: "writes", runId: "run-retake", limit: 1 }];
      const crashed = claimOf(keyOf("same-owner-takeover"), ARGS, { caps, leaseMs: 100 });
      await scope.store.claim(crashed);
      await scope.advance(150);
      const next = claimOf(crashed.key, ARGS, { caps });
      const taken = await scope.store.claim(next);
      expect(taken).toMatchObject({ status: "unknown", previousOwner: crashed.owner });

      const again = await scope.store.claim(next);
      expect(again).toEqual(taken);
      expect(await scope.store.capUsage("writes", "run-retake")).toBe(1);
      expect(await scope.store.get(crashed.key)).toMatchObject({ state: "in_progress", owner: next.owner });
      expect((await scope.store.claim(claimOf(crashed.key, ARGS, { caps }))).status).toBe("in_progress");
      expect(await scope.store.complete(crashed.key, crashed.owner, OK, 1000)).toBe(false);
      expect(await scope.store.complete(crashed.key, next.owner, OK, 1000)).toBe(true);
    });

    it("after the owner marked the key unknown takes it over as any claimer would", async () => {
      const { store } = await harness().openScope();
      const first = claimOf(keyOf("same-owner-unknown"), ARGS);
      await store.claim(first);
      await store.markUnknown(first.key, first.owner);
      expect(await store.claim(first)).toMatchObject({ status: "unknown", previousOwner: first.owner });
    });
  });
}
