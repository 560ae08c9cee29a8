import { describe, expect, it } from "vitest";
import { SANDBOX_CREDENTIALS, startSandbox } from "../../src/index.js";
import { call } from "../support/http.js";

// Published limits scaled down (limitScale 0.01) on a clock that never moves: the bucket
// empties after a known number of calls, whatever the machine's speed.

describe("rate limits per vendor policy", () => {
  it("PDL: 1,000/min × 0.01 = 10 enrichments, then 429 rate_limit_error with the remaining minute at 0", async () => {
    const t = 1_000_000;
    const sandbox = await startSandbox({
      accounts: 30,
      vendors: ["pdl"],
      ports: { pdl: 0 },
      limitScale: 0.01,
      now: () => t,
    });
    try {
      const domain = sandbox.book.enrichment[0]!.domain;
      const enrich = () =>
        call(`${sandbox.urls.pdl}/v5/company/enrich?website=${domain}`, { headers: { "x-api-key": "k" } });
      for (let i = 0; i < 10; i++) expect((await enrich()).status).toBe(200);
      const limited = await enrich();
      expect(limited).toMatchObject({
        status: 429,
        body: { status: 429, error: { type: "rate_limit_error" } },
      });
      expect(JSON.parse(limited.headers["x-ratelimit-remaining"]!).minute).toBe(0);
      expect(Date.parse(limited.headers["x-ratelimit-reset"]!)).toBeGreaterThan(t);
    } finally {
      await sandbox.stop();
    }
  });

  it("Gmail: 15,000 units/min × 0.01 = 150 units = 30 messages.list, then 403 userRateLimitExceeded", async () => {
    const t = 2_000_000;
    const sandbox = await startSandbox({
      accounts: 30,
      vendors: ["gmail"],
      ports: { gmail: 0 },
      limitScale: 0.01,
      now: () => t,
    });
    try {
      const c = SANDBOX_CREDENTIALS.gmail;
      const token = (
        await call(sandbox.urls.gmailToken!, {
          form: {
            grant_type: "refresh_token",
            client_id: c.clientId,
            client_secret: c.clientSecret,
            refresh_token: c.refreshToken,
          },
        })
      ).body.access_token;
      const list = () =>
        call(`${sandbox.urls.gmail}/messages?q=in:sent`, { headers: { authorization: `Bearer ${token}` } });
      for (let i = 0; i < 30; i++) expect((await list()).status).toBe(200);
      const limited = await list();
      expect(limited.status).toBe(403);
      expect(limited.body.error.errors[0]).toMatchObject({
        reason: "userRateLimitExceeded",
        domain: "usageLimits",
      });
    } finally {
      await sandbox.stop();
    }
  });
});
