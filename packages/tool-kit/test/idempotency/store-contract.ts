import { afterAll, beforeAll, describe } from "vitest";
import { cacheContract } from "./contract-cache.js";
import { capContract } from "./contract-caps.js";
import { claimContract, sameOwnerContract } from "./contract-claims.js";
import { hintContract } from "./contract-hints.js";
import { identityContract } from "./contract-identity.js";
import { propertyContract } from "./contract-property.js";
import { reviewContract } from "./contract-reviews.js";
import { windowContract } from "./contract-windows.js";
import type { StoreHarness } from "./store-harness.js";

/**
 * Registers the one contract suite every `IdempotencyStore` implementation must pass.
 * `makeHarness` runs once before the suite; each test opens its own scope through it.
 */
export function describeStoreContract(name: string, makeHarness: () => Promise<StoreHarness>): void {
  describe(`${name} store contract`, () => {
    let harness: StoreHarness | undefined;
    beforeAll(async () => {
      harness = await makeHarness();
    });
    afterAll(async () => {
      await harness?.close();
    });
    const current = (): StoreHarness => {
      if (harness === undefined) throw new Error("the store harness did not open");
      return harness;
    };
    claimContract(current);
    sameOwnerContract(current);
    capContract(current);
    cacheContract(current);
    hintContract(current);
    reviewContract(current);
    identityContract(current);
    propertyContract(current);
    windowContract(current);
  });
}
