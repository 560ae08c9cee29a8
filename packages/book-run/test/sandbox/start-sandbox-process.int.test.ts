import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseDemoOptions } from "../../src/demo/demo-options.js";
import type { SandboxPort } from "../../src/demo/ports.js";
import { startSandboxProcess } from "../../src/sandbox/start-sandbox-process.js";

// The emulators in a process of their own (the built gtm-sandbox --json), as the command line
// runs them: the same book as one generated here, the run's settings passed on, state through
// the admin API, and nothing left running after stop.
describe("startSandboxProcess", () => {
  let sandbox: SandboxPort;
  const options = parseDemoOptions(
    ["--accounts", "12", "--seed", "process-1", "--latency-ms", "5", "--no-limits"],
    "x",
    "2026-11-29",
  );

  beforeAll(async () => {
    sandbox = await startSandboxProcess(options);
  }, 120_000);

  afterAll(async () => {
    await sandbox?.stop();
  });

  it("works the book the emulators hold, and points the servers at them on loopback", () => {
    expect(sandbox.book).toHaveLength(12);
    expect(sandbox.serverEnv.GTM_ENV).toBe("sandbox");
    expect(sandbox.serverEnv.HUBSPOT_BASE_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(sandbox.serverEnv.EMAIL_SUPPRESSION_FILE).toBeTruthy();
  });

  it("holds requests 5 ms with no rate limit, counts them, and reads its own CPU", async () => {
    const statuses = await Promise.all(
      Array.from({ length: 30 }, async () => {
        const started = performance.now();
        const answer = await fetch(
          `${sandbox.serverEnv.HUBSPOT_BASE_URL}/crm/objects/2026-09/companies/search`,
          {
            method: "POST",
            headers: { authorization: "Bearer t", "content-type": "application/json" },
            body: JSON.stringify({ limit: 1 }),
          },
        );
        await answer.arrayBuffer();
        expect(performance.now() - started).toBeGreaterThanOrEqual(5);
        return answer.status;
      }),
    );
    expect(new Set(statuses)).toEqual(new Set([200]));
    expect((await sandbox.requests!()).byVendor.hubspot).toEqual({ "objects.search": 30 });
    expect((await sandbox.faultsInjected()).latency).toBe(30);
    expect((await sandbox.state()).notes).toEqual([]);
    expect(sandbox.cpuMs!()).toBeGreaterThan(0);
  });

  it("says why when the emulators do not start", async () => {
    await expect(startSandboxProcess(options, "/nonexistent/gtm-sandbox.js")).rejects.toThrow(
      /the emulators did not start: gtm-sandbox exited 1/,
    );
  });
});

describe("startSandboxProcess stop", () => {
  it("leaves no emulator process behind", async () => {
    const sandbox = await startSandboxProcess(parseDemoOptions(["--accounts", "5"], "stop-1", "2026-11-29"));
    expect(sandbox.cpuMs!()).not.toBeNull();
    await sandbox.stop();
    expect(sandbox.cpuMs!()).toBeNull();
    await expect(fetch(`${sandbox.serverEnv.HUBSPOT_BASE_URL}/_sandbox/health`)).rejects.toThrow();
  }, 120_000);
});
