import { describe, expect, it } from "vitest";
import type { StoreHarness } from "./store-harness.js";

/** The store's identity: one per scope, the same for every process that opens it. */
export function identityContract(harness: () => StoreHarness): void {
  describe("identity", () => {
    it("is one id and creation time per scope, the same for a peer, another for another scope", async () => {
      const scope = await harness().openScope();
      const mine = await scope.store.identity();
      expect(mine.id).toMatch(/^st_[0-9a-f]{16}$/);
      // The store's own clock (virtual in the SQLite harness, Redis server time otherwise).
      expect(Number.isInteger(mine.createdAt) && mine.createdAt > 0).toBe(true);
      expect(await (await scope.peer()).identity()).toEqual(mine);
      expect(await scope.store.identity()).toEqual(mine);
      const other = await harness().openScope();
      expect((await other.store.identity()).id).not.toBe(mine.id);
    });
  });
}
