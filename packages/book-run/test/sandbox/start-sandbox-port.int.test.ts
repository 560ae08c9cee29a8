import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseDemoOptions } from "../../src/demo/demo-options.js";
import type { SandboxPort } from "../../src/demo/ports.js";
import { CHAOS_FAULTS, startSandboxPort } from "../../src/sandbox/start-sandbox-port.js";

// The adapter over the real emulators: the book as the run works it, state read through the
// admin API, chaos switched on through it.
describe("startSandboxPort", () => {
  let sandbox: SandboxPort;

  beforeAll(async () => {
    sandbox = await startSandboxPort(
      parseDemoOptions(["--accounts", "40", "--seed", "adapter-1"], "x", "2026-11-29"),
    );
  }, 60_000);

  afterAll(async () => {
    await sandbox?.stop();
  });

  it("gives every account its CRM id, domain, warehouse id and first contact in its domain", () => {
    expect(sandbox.book).toHaveLength(40);
    for (const entry of sandbox.book) {
      expect(entry.accountId).toMatch(/^\d+$/);
      expect(entry.warehouseId).toMatch(/^ACC-/);
      if (entry.contactEmail !== null)
        expect(
          entry.contactEmail.endsWith(`@${entry.domain}`) || entry.contactEmail.includes(`.${entry.domain}`),
        ).toBe(true);
    }
    expect(sandbox.book.filter((e) => e.contactEmail !== null).length).toBeGreaterThan(30);
  });

  it("points the servers at the emulators on loopback", () => {
    expect(sandbox.serverEnv.GTM_ENV).toBe("sandbox");
    for (const name of [
      "HUBSPOT_BASE_URL",
      "PDL_BASE_URL",
      "SNOWFLAKE_BASE_URL",
      "GMAIL_BASE_URL",
      "GMAIL_TOKEN_URL",
    ])
      expect(sandbox.serverEnv[name]).toMatch(/^http:\/\/127\.0\.0\.1:\d+/);
  });

  it("reads a fresh state with no writes, and turns chaos on", async () => {
    const state = await sandbox.state();
    expect(state.notes).toEqual([]);
    expect(state.drafts).toEqual([]);
    expect(state.sends).toEqual([]);
    expect(state.enrichmentCredits).toEqual({});
    await sandbox.startChaos();
    await sandbox.enrichmentOutage(10);
    const injected = await sandbox.faultsInjected();
    expect(Object.keys(injected)).toEqual(
      expect.arrayContaining(["rate_limit", "server_error", "outage", "commit_then_drop"]),
    );
    expect(CHAOS_FAULTS.hubspot.commitThenDrop?.operations).toEqual(["notes.create"]);
  });
});
