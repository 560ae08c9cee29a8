import { describe, expect, it } from "vitest";
import { connectEnrichment, ENRICH } from "../support/connect.js";
import { API_ERROR_BODY, acmeCompany, NOT_FOUND_BODY } from "../support/pdl-fixtures.js";

describe("get_accounts_signals", () => {
  it("answers each input in order, with signals or its own error; duplicates are looked up once", async () => {
    const e = await connectEnrichment();
    e.pdl.on("GET", ENRICH, { query: { website: "acme.com" } }).reply({ status: 200, body: acmeCompany() });
    e.pdl
      .on("GET", ENRICH, { query: { website: "nobody.com" } })
      .reply({ status: 404, body: NOT_FOUND_BODY });
    e.pdl
      .on("GET", ENRICH, { query: { website: "globex.io" } })
      .reply({ status: 503, body: API_ERROR_BODY }, { persist: true });
    const domains = [
      "acme.com",
      "https://www.Acme.com/x",
      "nobody.com",
      "ada@acme.com",
      "10.0.0.1",
      "globex.io",
      "acme.com",
    ];
    const { data, error } = await e.call("get_accounts_signals", { domains });
    expect(error).toBeUndefined();
    expect(data.results.map((r: { input: string }) => r.input)).toEqual(domains);
    const [a, b, nobody, email, ip, globex, again] = data.results;
    expect(a).toMatchObject({ domain: "acme.com", signals: { name: "Acme" }, error: null });
    expect(b).toMatchObject({ domain: "acme.com", signals: { name: "Acme" }, error: null });
    expect(again).toMatchObject({ domain: "acme.com", signals: { name: "Acme" } });
    expect(nobody).toMatchObject({
      domain: "nobody.com",
      signals: null,
      error: { code: "NOT_FOUND", retryable: false },
    });
    expect(email).toMatchObject({ domain: null, error: { code: "INVALID_INPUT", field: "domains[3]" } });
    expect(email.error.message).toMatch(/e-mail/);
    expect(ip).toMatchObject({ domain: null, error: { code: "INVALID_INPUT", field: "domains[4]" } });
    expect(globex).toMatchObject({
      domain: "globex.io",
      error: {
        code: "UPSTREAM_UNAVAILABLE",
        retryable: true,
        upstream: { system: "peopledatalabs", status: 503 },
      },
    });
    expect(data).toMatchObject({ found: 3, failed: 4 });
    const calls = e.pdl.calls().map((c) => c.query.website);
    expect(calls.filter((w) => w === "acme.com")).toHaveLength(1);
    expect(calls.filter((w) => w === "nobody.com")).toHaveLength(1);
    expect(e.callLines()[0]).toMatchObject({ outcome: "ok", cache: "miss", cacheMisses: 3 });

    // The same batch again: everything PDL answered comes from the cache.
    const before = e.enrichCalls();
    const second = await e.call("get_accounts_signals", { domains: ["acme.com", "nobody.com"] });
    expect(second.data.results[0].signals).toMatchObject({ cached: true });
    expect(second.data.results[1].error).toMatchObject({ code: "NOT_FOUND", details: { cached: true } });
    expect(e.enrichCalls()).toBe(before);
    expect(e.callLines()[1]).toMatchObject({ cache: "hit", cacheHits: 2 });
  });

  it("refuses an empty list or one over 25 with INVALID_INPUT on domains", async () => {
    const e = await connectEnrichment();
    const empty = await e.call("get_accounts_signals", { domains: [] });
    expect(empty.error).toMatchObject({ code: "INVALID_INPUT", field: "domains" });
    const many = await e.call("get_accounts_signals", {
      domains: Array.from({ length: 26 }, (_, i) => `c${i}.com`),
    });
    expect(many.error).toMatchObject({ code: "INVALID_INPUT", field: "domains" });
    expect(e.enrichCalls()).toBe(0);
  });
});
