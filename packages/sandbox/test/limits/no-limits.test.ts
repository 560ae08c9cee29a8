import { describe, expect, it } from "vitest";
import { PUBLISHED_LIMITS, SANDBOX_CREDENTIALS, type SandboxOptions, startSandbox } from "../../src/index.js";
import { call, type Exchange } from "../support/http.js";

// A clock that never moves: no bucket refills, so a burst above the published rate meets a
// 429 with limits whatever the machine's speed, and must meet none without them.
const frozen = (t: number) => () => t;

/** `n` requests, `concurrency` at a time (a burst); their statuses. */
async function burst(n: number, concurrency: number, send: () => Promise<Exchange>): Promise<number[]> {
  const statuses: number[] = [];
  let left = n;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (left-- > 0) statuses.push((await send()).status);
    }),
  );
  return statuses;
}

const snowflakeHeaders = {
  authorization: "Bearer sandbox-snowflake-pat",
  "x-snowflake-authorization-token-type": "PROGRAMMATIC_ACCESS_TOKEN",
};

describe("no rate limits (noLimits / limitScale Infinity)", () => {
  it("HubSpot search and Snowflake: a burst above the published rate is refused with limits and admitted without", async () => {
    const run = async (limits: Partial<SandboxOptions>) => {
      const sandbox = await startSandbox({
        accounts: 10,
        vendors: ["hubspot", "snowflake"],
        ports: { hubspot: 0, snowflake: 0 },
        now: frozen(1_000_000),
        ...limits,
      });
      try {
        const searches = await burst(PUBLISHED_LIMITS.hubspot.searchPerSecond * 5, 8, () =>
          call(`${sandbox.urls.hubspot}/crm/objects/2026-09/companies/search`, {
            headers: { authorization: "Bearer t" },
            body: { limit: 1 },
          }),
        );
        const statements = await burst(PUBLISHED_LIMITS.snowflake.perSecond * 2, 8, () =>
          call(`${sandbox.urls.snowflake}/api/v2/statements`, {
            headers: snowflakeHeaders,
            body: { statement: "SELECT 1" },
          }),
        );
        return { searches, statements, sandbox };
      } finally {
        await sandbox.stop();
      }
    };
    const limited = await run({ realLimits: true });
    expect(limited.searches).toContain(429);
    expect(limited.statements).toContain(429);

    const free = await run({ noLimits: true, realLimits: true });
    expect(free.sandbox.noLimits).toBe(true);
    expect(free.sandbox.limitScale).toBe(Number.POSITIVE_INFINITY);
    expect(new Set(free.searches)).toEqual(new Set([200]));
    expect(new Set(free.statements)).toEqual(new Set([200]));
  });

  it("PDL and Gmail: more than a minute's published quota at once, never a 429 or quota 403; no NaN or Infinity in headers", async () => {
    const sandbox = await startSandbox({
      accounts: 10,
      vendors: ["pdl", "gmail"],
      ports: { pdl: 0, gmail: 0 },
      limitScale: Number.POSITIVE_INFINITY,
      now: frozen(2_000_000),
    });
    try {
      expect(sandbox.noLimits).toBe(true);
      const domain = sandbox.book.enrichment[0]!.domain;
      let headers: Record<string, string> = {};
      const enrichments = await burst(PUBLISHED_LIMITS.pdl.perMinute + 10, 16, async () => {
        const answer = await call(`${sandbox.urls.pdl}/v5/company/enrich?website=${domain}`, {
          headers: { "x-api-key": "k" },
        });
        headers = answer.headers;
        return answer;
      });
      expect(new Set(enrichments)).toEqual(new Set([200]));
      expect(Object.values(headers).join(" ")).not.toMatch(/NaN|Infinity|null/);

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
      // threads.list costs 10 units: one more than 15,000 units a minute allow.
      const lists = await burst(PUBLISHED_LIMITS.gmail.unitsPerMinute / 10 + 10, 16, () =>
        call(`${sandbox.urls.gmail}/threads?q=in:sent`, { headers: { authorization: `Bearer ${token}` } }),
      );
      expect(new Set(lists)).toEqual(new Set([200]));

      const requests = await sandbox.admin.requests();
      expect(requests.pdl).toMatchObject({ total: PUBLISHED_LIMITS.pdl.perMinute + 10, limits: false });
      expect(requests.gmail?.limits).toBe(false);
    } finally {
      await sandbox.stop();
    }
  });

  it("refuses a scale that is not a positive number", async () => {
    await expect(startSandbox({ vendors: [], limitScale: Number.NaN })).rejects.toThrow(/limitScale/);
    await expect(startSandbox({ vendors: [], limitScale: 0 })).rejects.toThrow(/limitScale/);
  });
});
