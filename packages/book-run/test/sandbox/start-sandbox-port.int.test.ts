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

// Latency-bound mode: every vendor request held at least --latency-ms (a lower bound, which a
// loaded machine cannot break), chaos keeping it, no 429 of the emulators' own, requests counted.
describe("startSandboxPort with --latency-ms 5 --no-limits", () => {
  let sandbox: SandboxPort;

  beforeAll(async () => {
    sandbox = await startSandboxPort(
      parseDemoOptions(["--accounts", "10", "--latency-ms", "5", "--no-limits"], "x", "2026-11-29"),
    );
  }, 60_000);

  afterAll(async () => {
    await sandbox?.stop();
  });

  const search = () =>
    fetch(`${sandbox.serverEnv.HUBSPOT_BASE_URL}/crm/objects/2026-09/companies/search`, {
      method: "POST",
      headers: { authorization: "Bearer t", "content-type": "application/json" },
      body: JSON.stringify({ limit: 1 }),
    });

  it("answers a burst far above HubSpot's 4 searches a second without a 429", async () => {
    const statuses = await Promise.all(Array.from({ length: 40 }, async () => (await search()).status));
    expect(new Set(statuses)).toEqual(new Set([200]));
  });

  it("holds each vendor request at least 5 ms, under chaos too, and counts what it served", async () => {
    const timed = async () => {
      const started = performance.now();
      const answer = await search();
      await answer.arrayBuffer();
      return { status: answer.status, ms: performance.now() - started };
    };
    const calm = await timed();
    expect(calm.status).toBe(200);
    expect(calm.ms).toBeGreaterThanOrEqual(5);
    await sandbox.startChaos();
    for (let i = 0; i < 5; i++) expect((await timed()).ms).toBeGreaterThanOrEqual(5);
    const counts = await sandbox.requests!();
    expect(counts.byVendor.hubspot).toEqual({ "objects.search": 46 });
    expect(counts.total).toBe(46);
    expect((await sandbox.faultsInjected()).latency).toBe(46);
  });
});
