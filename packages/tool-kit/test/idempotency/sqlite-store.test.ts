import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openSqliteStore } from "../../src/idempotency/sqlite-store.js";
import type { IdempotencyStore } from "../../src/idempotency/store.js";
import { describeStoreContract } from "./store-contract.js";
import type { StoreHarness } from "./store-harness.js";

describeStoreContract("sqlite", async (): Promise<StoreHarness> => {
  const dir = mkdtempSync(join(tmpdir(), "gtm-idem-"));
  const path = join(dir, "nested", "state.sqlite");
  const opened: IdempotencyStore[] = [];
  let scopes = 0;
  return {
    name: "sqlite",
    exactClock: true,
    async openScope() {
      // Each scope has its own clock, shared by its peers, so advancing one test's time
      // leaves the others alone. The clock is purely virtual: it stands still between
      // `advance` calls, so a lease the model holds live cannot lapse because a loaded
      // machine was slow between two steps (wall time plus an offset would let it).
      let now = Date.parse("2026-11-21T12:00:00Z");
      const server = `s${++scopes}`;
      const open = () => {
        const store = openSqliteStore({ path, server, env: "test", now: () => now });
        opened.push(store);
        return store;
      };
      return {
        store: open(),
        peer: async () => open(),
        advance: async (ms) => {
          now += ms;
        },
      };
    },
    async close() {
      await Promise.all(opened.map((store) => store.close()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
