import { describe, expect, it } from "vitest";
import { recallReconcileHint, rememberReconcileHint } from "../../src/idempotency/reconcile-hint.js";
import { useOnce } from "../../src/idempotency/use-once.js";
import type { StoreHarness } from "./store-harness.js";

const HOUR = 3_600_000;

/** Reconcile hints and one-time marks: every store must pass these. */
export function hintContract(harness: () => StoreHarness): void {
  describe("reconcile hints", () => {
    it("a hint written by one process is read by another (a restart, a replica) until it expires", async () => {
      const scope = await harness().openScope();
      const key = "send_draft:abc";
      expect(await recallReconcileHint(scope.store, key)).toBeUndefined();
      await rememberReconcileHint(scope.store, key, { messageId: "<gtm.1@seller.test>" }, HOUR);
      const peer = await scope.peer();
      expect(await recallReconcileHint(peer, key)).toEqual({ messageId: "<gtm.1@seller.test>" });
      // Replaced by a later write of the same key; another key has none.
      await rememberReconcileHint(peer, key, { messageId: "<gtm.2@seller.test>" }, HOUR);
      expect(await recallReconcileHint(scope.store, key)).toEqual({ messageId: "<gtm.2@seller.test>" });
      expect(await recallReconcileHint(scope.store, "send_draft:other")).toBeUndefined();
      await rememberReconcileHint(scope.store, "send_draft:brief", "x", 60);
      await scope.advance(120);
      expect(await recallReconcileHint(scope.store, "send_draft:brief")).toBeUndefined();
    });

    it("keeps a scope's hints from another scope's", async () => {
      const a = await harness().openScope();
      const b = await harness().openScope();
      await rememberReconcileHint(a.store, "k", 1, HOUR);
      expect(await recallReconcileHint(b.store, "k")).toBeUndefined();
    });
  });

  describe("use once", () => {
    it("is true once across processes, then false until its time has passed", async () => {
      const scope = await harness().openScope();
      const peer = await scope.peer();
      expect(await useOnce(scope.store, "nonce-1", HOUR)).toBe(true);
      expect(await useOnce(peer, "nonce-1", HOUR)).toBe(false);
      expect(await useOnce(scope.store, "nonce-1", HOUR)).toBe(false);
      expect(await useOnce(peer, "nonce-2", HOUR)).toBe(true);
      expect(await useOnce(scope.store, "nonce-3", 60)).toBe(true);
      await scope.advance(120);
      expect(await useOnce(scope.store, "nonce-3", HOUR)).toBe(true);
    });

    it("gives a name to one of 20 concurrent users over two connections", async () => {
      const scope = await harness().openScope();
      const stores = [scope.store, await scope.peer()];
      const firsts = await Promise.all(
        Array.from({ length: 20 }, (_, i) => useOnce(stores[i % 2]!, "nonce-race", HOUR)),
      );
      expect(firsts.filter(Boolean)).toHaveLength(1);
    });
  });
}
