import { describe, expect, it } from "vitest";
import type { NewReview } from "../../src/idempotency/store.js";
import type { StoreHarness } from "./store-harness.js";

function review(n: number): NewReview {
  return {
    tool: "log_activity_note",
    idempotencyKey: `log_activity_note:${n}`,
    args: { account_id: String(n), body: "[REDACTED]" },
    error: {
      code: "UPSTREAM_REJECTED",
      message: `HubSpot rejected note ${n}`,
      retryable: false,
      sideEffect: "none",
      upstream: { system: "hubspot", status: 400 },
    },
  };
}

/** The review queue of terminal write failures, in the same store. */
export function reviewContract(harness: () => StoreHarness): void {
  describe("review queue", () => {
    it("adds, lists newest first, filters, gets and resolves reviews", async () => {
      const { store } = await harness().openScope();
      const ids: string[] = [];
      for (let n = 1; n <= 4; n++) ids.push(await store.addReview(review(n)));
      expect(new Set(ids).size).toBe(4);
      for (const id of ids) expect(id).toMatch(/^[0-9a-f-]{36}$/);

      const all = await store.listReviews();
      expect(all.map((r) => r.id)).toEqual([...ids].reverse());
      expect(all[0]).toMatchObject({
        ...review(4),
        status: "open",
        resolvedAt: null,
        resolution: null,
      });
      expect(all[0]!.server).toMatch(/\S/);
      expect(all[0]!.env).toMatch(/\S/);
      expect(all[0]!.createdAt).toBeGreaterThan(0);
      expect((await store.listReviews({ limit: 2 })).map((r) => r.id)).toEqual([ids[3], ids[2]]);

      expect(await store.resolveReview(ids[1]!, "re-sent by hand")).toBe(true);
      expect(await store.resolveReview(ids[1]!, "again")).toBe(false);
      expect(await store.resolveReview("00000000-0000-4000-8000-000000000000", "nope")).toBe(false);

      const resolved = await store.getReview(ids[1]!);
      expect(resolved).toMatchObject({ id: ids[1], status: "resolved", resolution: "re-sent by hand" });
      expect(resolved!.resolvedAt).toBeGreaterThan(0);
      expect((await store.listReviews({ status: "resolved" })).map((r) => r.id)).toEqual([ids[1]]);
      expect((await store.listReviews({ status: "open" })).map((r) => r.id)).toEqual([
        ids[3],
        ids[2],
        ids[0],
      ]);
      expect(await store.getReview("00000000-0000-4000-8000-000000000000")).toBeNull();
    });

    it("keeps each scope's queue to itself", async () => {
      const a = await harness().openScope();
      const b = await harness().openScope();
      const id = await a.store.addReview(review(1));
      expect(await b.store.listReviews()).toEqual([]);
      expect(await b.store.getReview(id)).toBeNull();
      expect(await b.store.resolveReview(id, "not mine")).toBe(false);
    });
  });
}
