import { describe, expect, it } from "vitest";
import { startSandbox } from "../../src/index.js";
import { call } from "../support/http.js";

describe("HubSpot rate limits (published rates, injected clock)", () => {
  it("answers the fifth search in one second 429 SECONDLY, then admits again a second later", async () => {
    let t = 1_000_000;
    const sandbox = await startSandbox({
      accounts: 20,
      vendors: ["hubspot"],
      ports: { hubspot: 0 },
      realLimits: true,
      now: () => t,
    });
    try {
      const search = () =>
        call(`${sandbox.urls.hubspot}/crm/objects/2026-09/companies/search`, {
          headers: { authorization: "Bearer t" },
          body: { limit: 1 },
        });
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push((await search()).status);
      expect(statuses).toEqual([200, 200, 200, 200, 429]);
      const limited = await search();
      expect(limited.body).toMatchObject({ errorType: "RATE_LIMIT", policyName: "SECONDLY" });
      expect(limited.headers["x-hubspot-ratelimit-secondly-remaining"]).toBe("0");
      t += 1_000;
      expect((await search()).status).toBe(200);
    } finally {
      await sandbox.stop();
    }
  });

  it("answers TEN_SECONDLY_ROLLING after 190 calls in ten seconds", async () => {
    const t = 5_000_000;
    const sandbox = await startSandbox({
      accounts: 5,
      vendors: ["hubspot"],
      ports: { hubspot: 0 },
      realLimits: true,
      now: () => t,
    });
    try {
      const get = () =>
        call(`${sandbox.urls.hubspot}/account-info/2026-09/details`, {
          headers: { authorization: "Bearer t" },
        });
      for (let i = 0; i < 190; i++) expect((await get()).status).toBe(200);
      const limited = await get();
      expect(limited.status).toBe(429);
      expect(limited.body.policyName).toBe("TEN_SECONDLY_ROLLING");
      expect(limited.headers["x-hubspot-ratelimit-remaining"]).toBe("0");
    } finally {
      await sandbox.stop();
    }
  });
});
