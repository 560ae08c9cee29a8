import { describe, expect, it } from "vitest";
import type { StoredOutcome, WindowReservation } from "../../src/idempotency/store.js";
import { claimOf, keyOf, type StoreHarness } from "./store-harness.js";

const OK: StoredOutcome = { kind: "ok", result: { sent: true } };
const HOUR = 3_600_000;

const cooldown = (subject: string, windowMs = HOUR): WindowReservation[] => [
  { name: "recipient_cooldown", subject, windowMs },
];

/** Time-window limits keyed by something other than the run, taken atomically with the claim. */
export function windowContract(harness: () => StoreHarness): void {
  describe("time-window limits", () => {
    it("lets exactly one of many concurrent claims on one subject through, across store instances", async () => {
      const scope = await harness().openScope();
      const stores = [scope.store, await scope.peer(), await scope.peer()];
      const requests = Array.from({ length: 12 }, (_, i) =>
        claimOf(keyOf(`win-${i}`), { i }, { windows: cooldown("jane@acme.test") }),
      );
      const results = await Promise.all(requests.map((r, i) => stores[i % stores.length]!.claim(r)));
      expect(results.filter((r) => r.status === "acquired")).toHaveLength(1);
      const held = results.filter((r) => r.status === "window_active");
      expect(held).toHaveLength(11);
      for (const r of held)
        expect(r).toMatchObject({ window: "recipient_cooldown", subject: "jane@acme.test" });
      // Every refusal names the one holder's end (in the store's own clock, which may be virtual).
      const untils = held.map((r) => (r as { until: number }).until);
      expect(Math.max(...untils) - Math.min(...untils)).toBeLessThan(1_000);
      // A refused claim wrote nothing.
      const refused = requests[results.findIndex((r) => r.status === "window_active")]!;
      expect(await scope.store.get(refused.key)).toBeNull();
    });

    it("keys the window by subject: another subject is free", async () => {
      const { store } = await harness().openScope();
      expect(
        (await store.claim(claimOf(keyOf("a"), { a: 1 }, { windows: cooldown("a@x.test") }))).status,
      ).toBe("acquired");
      expect(
        (await store.claim(claimOf(keyOf("b"), { a: 2 }, { windows: cooldown("b@x.test") }))).status,
      ).toBe("acquired");
    });

    it("keeps the window when the claim completes, across runs", async () => {
      const { store } = await harness().openScope();
      const first = claimOf(
        keyOf("sent"),
        { a: 1 },
        {
          windows: cooldown("c@x.test"),
          caps: [{ name: "sends", runId: "run-1", limit: 5 }],
        },
      );
      await store.claim(first);
      await store.complete(first.key, first.owner, OK, first.ttlMs);
      const later = claimOf(
        keyOf("again"),
        { a: 2 },
        {
          windows: cooldown("c@x.test"),
          caps: [{ name: "sends", runId: "run-2", limit: 5 }],
        },
      );
      expect((await store.claim(later)).status).toBe("window_active");
      // Refused by the window: no cap reserved in the new run.
      expect(await store.capUsage("sends", "run-2")).toBe(0);
      // The completed key itself still replays.
      expect(
        (await store.claim(claimOf(first.key, { a: 1 }, { windows: cooldown("c@x.test") }))).status,
      ).toBe("replay");
    });

    it("gives the window back on release (nothing was done)", async () => {
      const { store } = await harness().openScope();
      const first = claimOf(keyOf("declined"), { a: 1 }, { windows: cooldown("d@x.test") });
      await store.claim(first);
      const second = claimOf(keyOf("other"), { a: 2 }, { windows: cooldown("d@x.test") });
      expect((await store.claim(second)).status).toBe("window_active");
      expect(await store.release(first.key, first.owner)).toBe(true);
      expect((await store.claim(second)).status).toBe("acquired");
    });

    it("keeps the window when the outcome is unknown", async () => {
      const { store } = await harness().openScope();
      const first = claimOf(keyOf("lost"), { a: 1 }, { windows: cooldown("e@x.test") });
      await store.claim(first);
      await store.markUnknown(first.key, first.owner);
      expect(
        (await store.claim(claimOf(keyOf("next"), { a: 2 }, { windows: cooldown("e@x.test") }))).status,
      ).toBe("window_active");
    });

    it("frees the subject once the window has passed", async () => {
      const scope = await harness().openScope();
      const first = claimOf(keyOf("short"), { a: 1 }, { windows: cooldown("f@x.test", 200) });
      await scope.store.claim(first);
      await scope.store.complete(first.key, first.owner, OK, first.ttlMs);
      await scope.advance(400);
      const next = claimOf(keyOf("after"), { a: 2 }, { windows: cooldown("f@x.test", 200) });
      expect((await scope.store.claim(next)).status).toBe("acquired");
    });
  });
}
