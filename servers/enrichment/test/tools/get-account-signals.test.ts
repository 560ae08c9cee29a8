import { describe, expect, it, vi } from "vitest";
import { CREDITS_CAP } from "../../src/config.js";
import { API_KEY, connectEnrichment, ENRICH } from "../support/connect.js";
import {
  API_ERROR_BODY,
  acmeCompany,
  NOT_FOUND_BODY,
  PAYMENT_REQUIRED_BODY,
  RATE_LIMIT_BODY,
  rateHeaders,
} from "../support/pdl-fixtures.js";

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe("get_account_signals", () => {
  it("returns a full match, normalising the domain and sending the key, website and min_likelihood", async () => {
    const e = await connectEnrichment();
    e.pdl.on("GET", ENRICH, { query: { website: "acme.com", min_likelihood: "2" } }).reply({
      status: 200,
      body: acmeCompany(),
      headers: { "x-call-credits-spent": "1", "x-totallimit-remaining": "99" },
    });
    const { data, error } = await e.call("get_account_signals", { domain: "https://www.Acme.com/pricing" });
    expect(error).toBeUndefined();
    expect(data).toEqual({
      domain: "acme.com",
      name: "Acme",
      industry: "computer software",
      employee_count: 137,
      size_range: "51-200",
      founded_year: 2012,
      headquarters: { city: "san francisco", region: "california", country: "united states" },
      linkedin_url: "https://linkedin.com/company/acme",
      tags: ["b2b", "saas"],
      tags_total: 2,
      summary: "acme builds tools for sales teams",
      confidence: 0.8,
      source: "peopledatalabs",
      fetched_at: expect.stringMatching(ISO),
      cached: false,
    });
    expect(e.pdl.calls()[0]!.headers["x-api-key"]).toBe(API_KEY);
    expect(e.callLines()[0]).toMatchObject({ outcome: "ok", cache: "miss", cacheMisses: 1, attempts: 1 });
  });

  it("models partial data as explicit nulls, never guesses", async () => {
    const e = await connectEnrichment();
    e.pdl.on("GET", ENRICH).reply({
      status: 200,
      body: acmeCompany({
        likelihood: 3,
        display_name: null,
        industry: null,
        employee_count: null,
        size: null,
        founded: null,
        location: null,
        linkedin_url: null,
        tags: null,
        summary: null,
      }),
    });
    const { data } = await e.call("get_account_signals", { domain: "acme.com" });
    expect(data).toMatchObject({
      name: "acme",
      industry: null,
      employee_count: null,
      size_range: null,
      founded_year: null,
      headquarters: null,
      linkedin_url: null,
      tags: null,
      summary: null,
      confidence: 0.3,
    });
    // Fields PDL leaves out altogether are null too.
    e.pdl.on("GET", ENRICH).reply({ status: 200, body: { status: 200, likelihood: 5, name: "globex" } });
    const sparse = await e.call("get_account_signals", { domain: "globex.io" });
    expect(sparse.data).toMatchObject({ name: "globex", industry: null, headquarters: null, tags: null });
  });

  it("answers NOT_FOUND on a 404, caches it, and serves the second from the cache without a call", async () => {
    const e = await connectEnrichment();
    e.pdl.on("GET", ENRICH).reply({ status: 404, body: NOT_FOUND_BODY });
    const first = await e.call("get_account_signals", { domain: "nobody.com" });
    expect(first.error).toMatchObject({
      code: "NOT_FOUND",
      field: "domain",
      retryable: false,
      details: { domain: "nobody.com", cached: false },
    });
    const second = await e.call("get_account_signals", { domain: "www.nobody.com" });
    expect(second.error).toMatchObject({ code: "NOT_FOUND", details: { cached: true } });
    expect(e.enrichCalls()).toBe(1);
    expect(e.callLines().map((l) => l.cache)).toEqual(["miss", "hit"]);
    // A no-match is a lookup PDL answered: it counts against the run's budget.
    expect(await e.store.capUsage(CREDITS_CAP, "test-run")).toBe(1);
  });

  it("treats a 404 without not_found as a wrong endpoint (UPSTREAM_UNAVAILABLE), not cached", async () => {
    const e = await connectEnrichment();
    e.pdl.on("GET", ENRICH).reply({ status: 404, body: "Not Found" }, { persist: true });
    const first = await e.call("get_account_signals", { domain: "acme.com" });
    expect(first.error).toMatchObject({ code: "UPSTREAM_UNAVAILABLE", retryable: true });
    expect(first.error!.message).toMatch(/PDL_BASE_URL/);
    const sent = e.enrichCalls();
    const second = await e.call("get_account_signals", { domain: "acme.com" });
    expect(second.error).toMatchObject({ code: "UPSTREAM_UNAVAILABLE" });
    expect(e.enrichCalls()).toBeGreaterThan(sent);
  });

  it("answers QUOTA_EXHAUSTED (terminal) on a 402, and gives the credit unit back", async () => {
    const e = await connectEnrichment();
    e.pdl.on("GET", ENRICH).reply({ status: 402, body: PAYMENT_REQUIRED_BODY });
    const { error } = await e.call("get_account_signals", { domain: "acme.com" });
    expect(error).toMatchObject({
      code: "QUOTA_EXHAUSTED",
      retryable: false,
      upstream: { system: "peopledatalabs", status: 402 },
    });
    expect(e.enrichCalls()).toBe(1);
    expect(await e.store.capUsage(CREDITS_CAP, "test-run")).toBe(0);
  });

  it("waits out a 429 until x-ratelimit-reset when that fits the deadline, then succeeds", async () => {
    const e = await connectEnrichment();
    const resetAt = new Date(Date.now() + 400).toISOString();
    e.pdl.on("GET", ENRICH).replySequence([
      { status: 429, body: RATE_LIMIT_BODY, headers: rateHeaders(0, resetAt) },
      { status: 200, body: acmeCompany() },
    ]);
    const started = Date.now();
    const { data } = await e.call("get_account_signals", { domain: "acme.com" });
    expect(data).toMatchObject({ name: "Acme", cached: false });
    expect(e.enrichCalls()).toBe(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(e.callLines()[0]).toMatchObject({ attempts: 2, retried: true });
  });

  it("answers RATE_LIMITED with retryAfterMs when the reset is too far, and refunds the unit", async () => {
    const e = await connectEnrichment();
    // A zone-less UTC timestamp a minute away (vendors.md: a UTC timestamp; its exact form is unverified).
    const resetAt = new Date(Date.now() + 60_000)
      .toISOString()
      .replace("T", " ")
      .replace(/\.\d+Z$/, "");
    e.pdl.on("GET", ENRICH).reply({ status: 429, body: RATE_LIMIT_BODY, headers: rateHeaders(0, resetAt) });
    const { error } = await e.call("get_account_signals", { domain: "acme.com" });
    expect(error).toMatchObject({
      code: "RATE_LIMITED",
      retryable: true,
      details: { remaining: { minute: 0 } },
    });
    expect(error!.retryAfterMs).toBeGreaterThan(50_000);
    expect(error!.retryAfterMs).toBeLessThanOrEqual(60_000);
    expect(e.enrichCalls()).toBe(1);
    expect(await e.store.capUsage(CREDITS_CAP, "test-run")).toBe(0);
  });

  it("reads single-quoted rate headers without a reset: no minute calls left waits for the next minute", async () => {
    // The wait runs to the next minute, so the test pins the clock 10 s into one: 50 s is past
    // the call's deadline and the answer is RATE_LIMITED whatever minute the suite runs in
    // (near a minute's end the server would rightly wait and ask again).
    vi.useFakeTimers({ toFake: ["Date"], now: new Date("2026-11-29T12:00:10Z") });
    try {
      const e = await connectEnrichment();
      e.pdl.on("GET", ENRICH).reply({ status: 429, body: RATE_LIMIT_BODY, headers: rateHeaders(0) });
      const { error } = await e.call("get_account_signals", { domain: "acme.com" });
      expect(error).toMatchObject({
        code: "RATE_LIMITED",
        details: { remaining: { minute: 0, day: 49000 } },
      });
      expect(error!.retryAfterMs).toBeGreaterThan(45_000);
      expect(error!.retryAfterMs).toBeLessThanOrEqual(50_000);
    } finally {
      vi.useRealTimers();
    }
  });

  it("opens the breaker after a 5xx burst (fast UPSTREAM_UNAVAILABLE, nothing sent), then recovers", async () => {
    // The breaker reads Date.now(): only Date is faked, so its open period passes when the test
    // says, not when a loaded machine happens to be slow (timers, sockets and retries stay real).
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() });
    try {
      const e = await connectEnrichment({ breaker: { consecutiveFailures: 3, halfOpenAfterMs: 60_000 } });
      // A paid lookup is not resent inside the call after a 5xx: one request per lookup.
      e.pdl.on("GET", ENRICH).reply({ status: 500, body: API_ERROR_BODY }, { times: 3 });
      for (const domain of ["a.com", "b.com", "c.com"]) {
        const { error } = await e.call("get_account_signals", { domain });
        expect(error).toMatchObject({
          code: "UPSTREAM_UNAVAILABLE",
          retryable: true,
          upstream: { status: 500 },
        });
      }
      const sent = e.enrichCalls();
      expect(sent).toBe(3);
      const open = await e.call("get_account_signals", { domain: "d.com" });
      expect(open.error).toMatchObject({ code: "UPSTREAM_UNAVAILABLE", retryable: true });
      expect(open.error!.message).toMatch(/circuit is open/);
      expect(open.error!.retryAfterMs).toBeGreaterThan(0);
      expect(e.enrichCalls()).toBe(sent);
      // The three 5xx may have followed a charge (each keeps its unit); the call the open
      // circuit refused sent nothing and gave its unit back.
      expect(await e.store.capUsage(CREDITS_CAP, "test-run")).toBe(3);

      vi.setSystemTime(Date.now() + 61_000);
      e.pdl.on("GET", ENRICH).reply({ status: 200, body: acmeCompany() });
      const recovered = await e.call("get_account_signals", { domain: "d.com" });
      expect(recovered.data).toMatchObject({ name: "Acme", cached: false });
    } finally {
      vi.useRealTimers();
    }
  });

  it("maps a 401 to PERMISSION_DENIED naming PDL_API_KEY, and puts the key in no result or log line", async () => {
    const e = await connectEnrichment();
    e.pdl.on("GET", ENRICH).reply({
      status: 401,
      body: { status: 401, error: { type: "authentication_error", message: `Invalid api key ${API_KEY}` } },
    });
    e.pdl.on("GET", ENRICH).reply({ status: 200, body: acmeCompany({ summary: `leaked ${API_KEY}` }) });
    e.pdl.on("GET", ENRICH).reply({
      status: 400,
      body: { status: 400, error: { type: "invalid_request_error", message: `bad ${API_KEY}` } },
    });
    const denied = await e.call("get_account_signals", { domain: "acme.com" });
    expect(denied.error).toMatchObject({ code: "PERMISSION_DENIED", retryable: false });
    expect(denied.error!.message).toMatch(/PDL_API_KEY/);
    const found = await e.call("get_account_signals", { domain: "globex.io" });
    const rejected = await e.call("get_account_signals", { domain: "initech.com" });
    expect(rejected.error).toMatchObject({ code: "UPSTREAM_REJECTED" });
    const everything = [
      JSON.stringify(denied.result),
      JSON.stringify(found.result),
      JSON.stringify(rejected.result),
      ...e.lines,
    ].join("\n");
    expect(everything).not.toContain(API_KEY);
    expect(e.lines.length).toBeGreaterThan(3);
  });

  it("refuses inputs that are not a registrable domain with INVALID_INPUT naming domain, before any call", async () => {
    const e = await connectEnrichment();
    for (const domain of ["ada@acme.com", "10.1.2.3", "localhost", "acme", "co.uk", ""]) {
      const { error } = await e.call("get_account_signals", { domain });
      expect(error, domain).toMatchObject({ code: "INVALID_INPUT", field: "domain", retryable: false });
    }
    expect(e.enrichCalls()).toBe(0);
  });

  it("lists both tools as read-only with described inputs and output schemas", async () => {
    const e = await connectEnrichment({ writesEnabled: false });
    const { tools } = await e.client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(["get_account_signals", "get_accounts_signals"]);
    for (const tool of tools) {
      expect(tool.annotations).toMatchObject({
        readOnlyHint: true,
        destructiveHint: false,
        openWorldHint: true,
      });
      expect(Object.keys(tool.outputSchema?.properties ?? {}).length).toBeGreaterThan(0);
      expect(tool.description!.length).toBeGreaterThan(100);
    }
  });
});

describe("domain normalisation", () => {
  it("looks every spelling of an IDN up once, as punycode: the cache key and PDL's website are one form", async () => {
    const e = await connectEnrichment();
    e.pdl
      .on("GET", ENRICH, { query: { website: "xn--bcher-kva.de" } })
      .reply({ status: 200, body: acmeCompany({ display_name: "Bücher" }) });
    const first = await e.call("get_account_signals", { domain: "Bücher.de" });
    expect(first.data).toMatchObject({ domain: "xn--bcher-kva.de", name: "Bücher", cached: false });
    for (const spelling of ["https://www.BÜCHER.de/x", "xn--bcher-kva.de", "bu\u0308cher.de"]) {
      const again = await e.call("get_account_signals", { domain: spelling });
      expect(again.data, spelling).toMatchObject({ domain: "xn--bcher-kva.de", cached: true });
    }
    expect(e.pdl.calls().map((c) => c.query.website)).toEqual(["xn--bcher-kva.de"]);
    expect(await e.store.capUsage(CREDITS_CAP, "test-run")).toBe(1);
  });

  it.each([
    ["a zero-width space", "ac\u200bme.com", "U+200B"],
    ["a right-to-left override", "\u202eacme.com", "U+202E"],
    ["a soft hyphen", "ac\u00adme.com", "U+00AD"],
    ["a lone surrogate", "ac\ud800me.com", "lone surrogate"],
  ])("refuses a domain holding %s with INVALID_INPUT on domain, sending nothing", async (_, domain, says) => {
    const e = await connectEnrichment();
    const { error } = await e.call("get_account_signals", { domain });
    expect(error).toMatchObject({ code: "INVALID_INPUT", field: "domain", retryable: false });
    expect(error!.message).toContain(says);
    expect(e.enrichCalls()).toBe(0);
    expect(await e.store.capUsage(CREDITS_CAP, "test-run")).toBe(0);
  });

  it("in a batch, refuses each hidden-character input on its own and looks the clean one up once", async () => {
    const e = await connectEnrichment();
    e.pdl.on("GET", ENRICH, { query: { website: "acme.com" } }).reply({ status: 200, body: acmeCompany() });
    const domains = [
      "acme.com",
      "ac\u200bme.com",
      "\u202eacme.com",
      "ac\u00adme.com",
      "ac\ud800me.com",
      "ＡＣＭＥ.com",
    ];
    const { data } = await e.call("get_accounts_signals", { domains });
    expect(data.results.map((r: { domain: string | null }) => r.domain)).toEqual([
      "acme.com",
      null,
      null,
      null,
      null,
      "acme.com",
    ]);
    for (const i of [1, 2, 3, 4])
      expect(data.results[i].error).toMatchObject({ code: "INVALID_INPUT", field: `domains[${i}]` });
    expect(e.pdl.calls().map((c) => c.query.website)).toEqual(["acme.com"]);
  });
});
