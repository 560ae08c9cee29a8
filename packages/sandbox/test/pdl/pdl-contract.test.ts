import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PdlState, type Sandbox, startSandbox } from "../../src/index.js";
import { call } from "../support/http.js";

let sandbox: Sandbox;
const key = { "x-api-key": "sandbox-pdl-key" };
const enrich = (query: string, headers: Record<string, string> = key) =>
  call(`${sandbox.urls.pdl}/v5/company/enrich?${query}`, { headers });

/** One GET, never resent, on a connection of its own; resolves with the status. */
const getOnce = (url: string) =>
  new Promise<number>((resolve, reject) => {
    const req = request(url, { headers: key, agent: false }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", reject);
    req.end();
  });

beforeAll(async () => {
  sandbox = await startSandbox({ accounts: 300, vendors: ["pdl"], ports: { pdl: 0 }, pdlCredits: 1_000 });
});
afterAll(() => sandbox.stop());

describe("People Data Labs emulator", () => {
  it("enriches by website: company fields at top level, status 200, likelihood, credit headers", async () => {
    const known = sandbox.book.enrichment.find((e) => !e.partial)!;
    const answer = await enrich(`website=https://www.${known.domain}/about`);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      status: 200,
      likelihood: known.likelihood,
      name: expect.any(String),
      display_name: expect.any(String),
      website: known.domain,
      location: { name: expect.any(String), locality: expect.any(String), country: expect.any(String) },
      tags: expect.any(Array),
    });
    for (const field of [
      "id",
      "size",
      "employee_count",
      "founded",
      "industry",
      "linkedin_url",
      "twitter_url",
      "facebook_url",
      "ticker",
      "type",
      "summary",
    ]) {
      expect(answer.body).toHaveProperty(field);
    }
    expect(answer.headers["x-call-credits-spent"]).toBe("1");
    expect(JSON.parse(answer.headers["x-ratelimit-limit"]!)).toMatchObject({
      minute: expect.any(Number),
      day: expect.any(Number),
      month: expect.any(Number),
    });
    expect(JSON.parse(answer.headers["x-ratelimit-remaining"]!).minute).toBeGreaterThan(0);
    expect(Number.isNaN(Date.parse(answer.headers["x-ratelimit-reset"]!))).toBe(false);
    expect(Number(answer.headers["x-totallimit-remaining"])).toBe(999);
  });

  it("serves partial records with nulls where a full record has data", async () => {
    const partial = sandbox.book.enrichment.find((e) => e.partial)!;
    const answer = await enrich(`website=${partial.domain}`);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ employee_count: null, industry: null, summary: null, size: null });
  });

  it("answers an unknown company 404 not_found without charging", async () => {
    const known = new Set(sandbox.book.enrichment.map((e) => e.domain));
    const missing = sandbox.book.accounts.find((a) => !known.has(a.domain))!;
    const answer = await enrich(`website=${missing.domain}`);
    expect(answer.status).toBe(404);
    expect(answer.body).toEqual({
      status: 404,
      error: { type: "not_found", message: "No records were found matching your request" },
    });
    expect(answer.headers["x-call-credits-spent"]).toBe("0");
  });

  it("answers 404 below min_likelihood and when a required field is missing", async () => {
    const partial = sandbox.book.enrichment.find((e) => e.partial && e.likelihood < 10)!;
    expect((await enrich(`website=${partial.domain}&min_likelihood=${partial.likelihood + 1}`)).status).toBe(
      404,
    );
    expect((await enrich(`website=${partial.domain}&required=employee_count`)).status).toBe(404);
    expect((await enrich(`website=${partial.domain}&min_likelihood=11`)).status).toBe(400);
  });

  it("refuses a missing key (401 authentication_error) and an empty query (400 invalid_request_error)", async () => {
    const none = await enrich("website=acme.com", {});
    expect(none).toMatchObject({
      status: 401,
      body: { status: 401, error: { type: "authentication_error" } },
    });
    expect((await enrich("")).body.error.type).toBe("invalid_request_error");
  });

  it("counts credits per domain and per account (both companies of a shared domain)", async () => {
    const state = await sandbox.admin.state<PdlState>("pdl");
    expect(state.creditsSpent).toBe(Object.values(state.creditsByDomain).reduce((a, b) => a + b, 0));
    expect(Object.values(state.creditsByDomain).every((n) => n === 1)).toBe(true);
    expect(state.answers["404"]).toBeGreaterThanOrEqual(1);
  });

  it("answers 402 payment_required once the credits are spent", async () => {
    const small = await startSandbox({ accounts: 50, vendors: ["pdl"], ports: { pdl: 0 }, pdlCredits: 1 });
    try {
      const [a, b] = small.book.enrichment;
      const go = (domain: string) =>
        call(`${small.urls.pdl}/v5/company/enrich?website=${domain}`, { headers: key });
      expect((await go(a!.domain)).status).toBe(200);
      const refused = await go(b!.domain);
      expect(refused).toMatchObject({
        status: 402,
        body: { status: 402, error: { type: "payment_required" } },
      });
    } finally {
      await small.stop();
    }
  });

  it("answers injected faults in PDL's shapes: 429 rate_limit_error, 5xx api_error, outage 503", async () => {
    const domain = sandbox.book.enrichment[0]!.domain;
    await sandbox.admin.setFaults("pdl", { rateLimitRate: 1 });
    expect((await enrich(`website=${domain}`)).body).toMatchObject({
      status: 429,
      error: { type: "rate_limit_error" },
    });
    await sandbox.admin.setFaults("pdl", { errorBursts: { rate: 1, length: 2, status: 502 } });
    expect((await enrich(`website=${domain}`)).body).toMatchObject({
      status: 502,
      error: { type: "api_error" },
    });
    await sandbox.admin.setFaults("pdl", { outage: true });
    expect((await enrich(`website=${domain}`)).status).toBe(503);
    await sandbox.admin.setFaults("pdl", {});
    expect((await enrich(`website=${domain}`)).status).toBe(200);
  });

  it("commit-then-drop: the credit is charged, then the socket is destroyed unanswered (a 404 still answers)", async () => {
    const used = new Set(Object.keys((await sandbox.admin.state<PdlState>("pdl")).creditsByDomain));
    const target = sandbox.book.enrichment.find((e) => !e.partial && !used.has(e.domain))!;
    const before = await sandbox.admin.state<PdlState>("pdl");
    await sandbox.admin.setFaults("pdl", { commitThenDrop: { rate: 1, operations: ["company.enrich"] } });
    try {
      // One request on its own connection: fetch would resend a GET whose reused socket closed.
      await expect(getOnce(`${sandbox.urls.pdl}/v5/company/enrich?website=${target.domain}`)).rejects.toThrow(
        /socket hang up|ECONNRESET/,
      );
      const dropped = await sandbox.admin.state<{ faultsInjected: { commit_then_drop: number } }>("pdl");
      expect(dropped.faultsInjected.commit_then_drop).toBe(1);
      expect((await enrich("website=no-such-company-anywhere.example")).status).toBe(404);
    } finally {
      await sandbox.admin.setFaults("pdl", {});
    }
    const after = await sandbox.admin.state<PdlState>("pdl");
    expect(after.creditsByDomain[target.domain]).toBe(1);
    expect(after.creditsSpent).toBe(before.creditsSpent + 1);
    expect(after.creditsLeft).toBe(before.creditsLeft - 1);
  });
});
