import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/index.js";
import { buildRuntime } from "../../src/server/build-runtime.js";

const dir = mkdtempSync(join(tmpdir(), "gtm-runtime-store-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const base = (extra: Record<string, string>) => ({
  GTM_STATE_URL: `sqlite:${join(dir, "state.sqlite")}`,
  GTM_RUN_ID: "run-1",
  ...extra,
});

describe("buildRuntime: the store for read tools", () => {
  it("opens the store for a server whose reads need it, with writes disabled", async () => {
    const config = loadConfig({}, base({ GTM_ENV: "staging", GTM_ENABLE_WRITES: "false" }));
    const { runtime } = await buildRuntime(config, {
      server: { name: "reader", version: "0" },
      hasWriteTools: false,
      readsNeedStore: true,
      write: () => undefined,
    });
    try {
      expect(runtime.writesEnabled).toBe(false);
      expect(runtime.store?.kind).toBe("sqlite");
      await runtime.store!.cacheSet("k", { kind: "hit", value: 1 }, 60_000);
      expect(await runtime.store!.cacheGet("k")).toMatchObject({ kind: "hit", value: 1 });
    } finally {
      await runtime.store?.close();
    }
  });

  it("opens none for a read-only server whose reads do not need it", async () => {
    const config = loadConfig({}, base({ GTM_ENV: "staging", GTM_ENABLE_WRITES: "false" }));
    const { runtime } = await buildRuntime(config, {
      server: { name: "reader", version: "0" },
      hasWriteTools: true,
      write: () => undefined,
    });
    expect(runtime.store).toBeUndefined();
  });

  it("is refused the embedded store in production (the config stops it first)", () => {
    expect(() => loadConfig({}, base({ GTM_ENV: "production" }))).toThrow(
      /GTM_STATE_URL: production requires/,
    );
  });
});
