import { describe, expect, it } from "vitest";
import { sleepAtLeast } from "../../src/http/emulator-server.js";
import { startSandbox } from "../../src/index.js";
import { call } from "../support/http.js";

// Lower bounds only: a loaded machine makes a request slower, never faster, so these cannot
// flake; nothing here bounds a duration from above.

describe("fixed emulator latency", () => {
  it("sleepAtLeast waits at least the time asked, measured on performance.now()", async () => {
    for (const ms of [1, 2, 5, 5, 5, 7]) {
      const started = performance.now();
      await sleepAtLeast(ms);
      expect(performance.now() - started).toBeGreaterThanOrEqual(ms);
    }
  });

  it("holds every vendor request at least fixedMs and counts each one", async () => {
    const sandbox = await startSandbox({
      accounts: 5,
      vendors: ["hubspot"],
      ports: { hubspot: 0 },
      faults: { hubspot: { latency: { fixedMs: 5 } } },
    });
    try {
      const id = sandbox.book.accounts[0]!.companyId;
      for (let i = 0; i < 10; i++) {
        const started = performance.now();
        const answer = await call(`${sandbox.urls.hubspot}/crm/objects/2026-09/companies/${id}`, {
          headers: { authorization: "Bearer t" },
        });
        const took = performance.now() - started;
        expect(answer.status).toBe(200);
        expect(took).toBeGreaterThanOrEqual(5);
      }
      const faults = await sandbox.admin.faults();
      expect(faults.hubspot?.injected.latency).toBe(10);
      const requests = await sandbox.admin.requests();
      expect(requests.hubspot).toEqual({ total: 10, byOperation: { "objects.get": 10 }, limits: true });
    } finally {
      await sandbox.stop();
    }
  });

  it("takes a fixed latency at run time through the admin API", async () => {
    const sandbox = await startSandbox({ accounts: 5, vendors: ["pdl"], ports: { pdl: 0 } });
    try {
      await sandbox.admin.setFaults("pdl", { latency: { fixedMs: 20 } });
      const domain = sandbox.book.enrichment[0]!.domain;
      const started = performance.now();
      const answer = await call(`${sandbox.urls.pdl}/v5/company/enrich?website=${domain}`, {
        headers: { "x-api-key": "k" },
      });
      expect(answer.status).toBe(200);
      expect(performance.now() - started).toBeGreaterThanOrEqual(20);
    } finally {
      await sandbox.stop();
    }
  });
});
