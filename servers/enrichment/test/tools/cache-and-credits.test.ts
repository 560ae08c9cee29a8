import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CREDITS_CAP } from "../../src/config.js";
import { connectEnrichment, ENRICH, tempDir } from "../support/connect.js";
import { acmeCompany, NOT_FOUND_BODY } from "../support/pdl-fixtures.js";

describe("the cache", () => {
  it("serves a repeat (in any spelling of the domain) from the cache, making no call", async () => {
    const e = await connectEnrichment();
    e.pdl.on("GET", ENRICH).reply({ status: 200, body: acmeCompany() });
    const first = await e.call("get_account_signals", { domain: "acme.com" });
    const again = await e.call("get_account_signals", { domain: "https://WWW.acme.com/about" });
    expect(e.enrichCalls()).toBe(1);
    expect(again.data).toEqual({ ...first.data, cached: true });
    expect(e.callLines().map((l) => [l.cache, l.attempts])).toEqual([
      ["miss", 1],
      ["hit", 0],
    ]);
  });

  it("makes one upstream call for 40 concurrent lookups of one domain", async () => {
    const e = await connectEnrichment();
    e.pdl.on("GET", ENRICH).reply({ status: 200, body: acmeCompany(), delayMs: 150 });
    const results = await Promise.all(
      Array.from({ length: 40 }, () => e.call("get_account_signals", { domain: "acme.com" })),
    );
    expect(e.enrichCalls()).toBe(1);
    expect(results.every((r) => r.data?.name === "Acme")).toBe(true);
    expect(results.filter((r) => r.data?.cached === false)).toHaveLength(1);
    expect(await e.store.capUsage(CREDITS_CAP, "test-run")).toBe(1);
  });

  it("is shared by two servers on one SQLite file: 20 + 20 concurrent lookups, one call, then hits", async () => {
    const statePath = join(tempDir(), "shared.sqlite");
    const a = await connectEnrichment({ statePath });
    const b = await connectEnrichment({ statePath });
    a.pdl.on("GET", ENRICH).reply({ status: 200, body: acmeCompany(), delayMs: 150 });
    b.pdl.on("GET", ENRICH).reply({ status: 200, body: acmeCompany(), delayMs: 150 });
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        (i % 2 ? a : b).call("get_account_signals", { domain: "acme.com" }),
      ),
    );
    expect(results.every((r) => r.data?.name === "Acme")).toBe(true);
    expect(a.enrichCalls() + b.enrichCalls()).toBe(1);
    const later = await (a.enrichCalls() === 1 ? b : a).call("get_account_signals", { domain: "acme.com" });
    expect(later.data).toMatchObject({ cached: true });
    expect(a.enrichCalls() + b.enrichCalls()).toBe(1);
  });

  it("still caches with writes disabled (a read-only server keeps its store)", async () => {
    const e = await connectEnrichment({ writesEnabled: false });
    e.pdl.on("GET", ENRICH).reply({ status: 200, body: acmeCompany() });
    await e.call("get_account_signals", { domain: "acme.com" });
    const again = await e.call("get_account_signals", { domain: "acme.com" });
    expect(again.data).toMatchObject({ cached: true });
    expect(e.enrichCalls()).toBe(1);
  });

  it("keeps a not-found only for its own TTL, shorter than a match's", async () => {
    const e = await connectEnrichment({ settings: { notFoundTtlMs: 50 } });
    e.pdl.on("GET", ENRICH).reply({ status: 404, body: NOT_FOUND_BODY });
    e.pdl.on("GET", ENRICH).reply({ status: 200, body: acmeCompany() });
    expect((await e.call("get_account_signals", { domain: "acme.com" })).error?.code).toBe("NOT_FOUND");
    await new Promise((resolve) => setTimeout(resolve, 120));
    const later = await e.call("get_account_signals", { domain: "acme.com" });
    expect(later.data).toMatchObject({ name: "Acme", cached: false });
    expect(e.enrichCalls()).toBe(2);
  });

  it("fails closed when the store is down: STORE_UNAVAILABLE (retryable) and nothing sent", async () => {
    const e = await connectEnrichment();
    await e.store.close();
    const { error } = await e.call("get_account_signals", { domain: "acme.com" });
    expect(error).toMatchObject({ code: "STORE_UNAVAILABLE", retryable: true });
    expect(e.enrichCalls()).toBe(0);
  });
});

describe("the credit cap", () => {
  it("stops real calls at ENRICHMENT_MAX_CALLS_PER_RUN, stating limit and used, while hits stay free", async () => {
    const e = await connectEnrichment({ settings: { maxCallsPerRun: 2 } });
    e.pdl.on("GET", ENRICH, { query: { website: "acme.com" } }).reply({ status: 200, body: acmeCompany() });
    e.pdl
      .on("GET", ENRICH, { query: { website: "nobody.com" } })
      .reply({ status: 404, body: NOT_FOUND_BODY });
    expect((await e.call("get_account_signals", { domain: "acme.com" })).data).toBeDefined();
    for (let i = 0; i < 3; i++) await e.call("get_account_signals", { domain: "acme.com" });
    expect((await e.call("get_account_signals", { domain: "nobody.com" })).error?.code).toBe("NOT_FOUND");
    const over = await e.call("get_account_signals", { domain: "globex.io" });
    expect(over.error).toMatchObject({
      code: "CAP_EXCEEDED",
      retryable: false,
      details: { cap: CREDITS_CAP, limit: 2, used: 2, runId: "test-run" },
    });
    expect(over.error!.message).toMatch(/2 of 2/);
    expect(e.enrichCalls()).toBe(2);
    // Cached answers are still served once the budget is spent.
    expect((await e.call("get_account_signals", { domain: "acme.com" })).data).toMatchObject({
      cached: true,
    });
    expect((await e.call("get_account_signals", { domain: "nobody.com" })).error?.code).toBe("NOT_FOUND");
    expect(await e.store.capUsage(CREDITS_CAP, "test-run")).toBe(2);
  });

  it("counts across servers sharing the store and run, never past the limit under concurrency", async () => {
    const statePath = join(tempDir(), "shared.sqlite");
    const a = await connectEnrichment({ statePath, settings: { maxCallsPerRun: 3 } });
    const b = await connectEnrichment({ statePath, settings: { maxCallsPerRun: 3 } });
    for (const e of [a, b])
      e.pdl.on("GET", ENRICH).reply({ status: 200, body: acmeCompany() }, { persist: true });
    const domains = Array.from({ length: 10 }, (_, i) => `company-${i}.com`);
    const results = await Promise.all(
      domains.map((domain, i) => (i % 2 ? a : b).call("get_account_signals", { domain })),
    );
    expect(results.filter((r) => r.data)).toHaveLength(3);
    expect(results.filter((r) => r.error?.code === "CAP_EXCEEDED")).toHaveLength(7);
    expect(a.enrichCalls() + b.enrichCalls()).toBe(3);
  });
});
