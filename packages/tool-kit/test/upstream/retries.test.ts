import { afterEach, describe, expect, it } from "vitest";
import { company, createNote, getCompany, type Harness, harness, rejection, scope } from "./harness.js";

let h: Harness;
afterEach(async () => {
  await h.close();
});

describe("retries inside one call", () => {
  it("retries a safe request after a 503 and succeeds on the second attempt", async () => {
    h = harness();
    h.vendor.on("GET", "/companies/123").replySequence([
      { status: 503, body: { message: "try later" } },
      { status: 200, body: company },
    ]);
    const s = scope();
    const res = await h.client.request(getCompany, s);
    expect(res.body).toEqual(company);
    expect(s.stats).toEqual({ attempts: 2, retried: true });
    expect(h.vendor.calls()).toHaveLength(2);
    h.vendor.assertAllUsed();
    const warn = h.logs.find((l) => l.level === "warn");
    expect(warn).toMatchObject({ system: "vendor", operation: "companies.get", status: 503, attempt: 1 });
    expect(warn?.durationMs).toEqual(expect.any(Number));
  });

  it("retries a safe request whose connection dropped after it was written", async () => {
    h = harness();
    h.vendor.on("GET", "/companies/123").dropAfterRequest().reply({ status: 200, body: company });
    const s = scope();
    await h.client.request(getCompany, s);
    expect(s.stats).toEqual({ attempts: 2, retried: true });
  });

  it("never re-sends a create after it was written: exactly one request, sideEffect unknown", async () => {
    h = harness();
    h.vendor.on("POST", "/notes").dropAfterRequest().reply({ status: 201, body: company });
    const s = scope();
    const error = await rejection(h.client.request(createNote, s));
    expect(error).toMatchObject({ code: "UPSTREAM_TIMEOUT", sideEffect: "unknown" });
    expect(h.vendor.calls()).toHaveLength(1);
    expect(s.stats).toEqual({ attempts: 1, retried: false });
  });

  it("does not re-send a create that got a 5xx (it may have committed)", async () => {
    h = harness();
    h.vendor.on("POST", "/notes").reply({ status: 500 }).reply({ status: 201, body: company });
    const error = await rejection(h.client.request(createNote));
    expect(error).toMatchObject({ code: "UPSTREAM_UNAVAILABLE", sideEffect: "unknown" });
    expect(h.vendor.calls()).toHaveLength(1);
  });

  it("re-sends a create after a 429 when the wait fits: the vendor refused it, so it did not act", async () => {
    h = harness();
    h.vendor
      .on("POST", "/notes")
      .reply({ status: 429, headers: { "retry-after": "1" } })
      .reply({ status: 201, body: company });
    const s = scope();
    const res = await h.client.request(createNote, s);
    expect(res.status).toBe(201);
    expect(s.stats).toEqual({ attempts: 2, retried: true });
    expect(h.vendor.calls()).toHaveLength(2);
  });

  it("returns RATE_LIMITED with the wait at once when a create's 429 wait does not fit the deadline", async () => {
    h = harness();
    h.vendor.on("POST", "/notes").reply({ status: 429, headers: { "retry-after": "30" } });
    const error = await rejection(h.client.request(createNote));
    expect(error).toMatchObject({ code: "RATE_LIMITED", retryAfterMs: 30_000, sideEffect: "none" });
    expect(h.vendor.calls()).toHaveLength(1);
  });

  it("re-sends a create whose connection was refused before it was written", async () => {
    h = harness();
    h.vendor.on("POST", "/notes").refuseConnection().reply({ status: 201, body: company });
    const s = scope();
    const res = await h.client.request(createNote, s);
    expect(res.status).toBe(201);
    expect(s.stats).toEqual({ attempts: 2, retried: true });
    expect(h.vendor.calls()).toHaveLength(2);
  });

  it("never retries a terminal code, even for a safe request", async () => {
    h = harness({ mapError: ({ status }) => (status === 429 ? { code: "QUOTA_EXHAUSTED" } : undefined) });
    h.vendor.on("GET", "/companies/123").reply({ status: 429 }).reply({ status: 200, body: company });
    const s = scope();
    const error = await rejection(h.client.request(getCompany, s));
    expect(error.code).toBe("QUOTA_EXHAUSTED");
    expect(s.stats.attempts).toBe(1);
  });

  it("stops after maxAttempts", async () => {
    h = harness({ backoff: { initialMs: 1, maxMs: 2, maxAttempts: 3 } });
    h.vendor.on("GET", "/companies/123").reply({ status: 503 }, { persist: true });
    const s = scope();
    const error = await rejection(h.client.request(getCompany, s));
    expect(error.code).toBe("UPSTREAM_UNAVAILABLE");
    expect(s.stats.attempts).toBe(3);
  });

  it("backs off exponentially between attempts", async () => {
    h = harness({ backoff: { initialMs: 40, maxMs: 1000, maxAttempts: 3 } });
    h.vendor.on("GET", "/companies/123").reply({ status: 503 }, { persist: true });
    const started = Date.now();
    await rejection(h.client.request(getCompany));
    // Waits of at least 20 (half of 40) and 40 (half of 80) ms.
    expect(Date.now() - started).toBeGreaterThanOrEqual(60);
  });
});

describe("vendor wait hints", () => {
  it("honours Retry-After in seconds when it fits the deadline", async () => {
    h = harness();
    h.vendor.on("GET", "/companies/123").replySequence([
      { status: 429, headers: { "retry-after": "1" } },
      { status: 200, body: company },
    ]);
    const s = scope();
    const started = Date.now();
    await h.client.request(getCompany, s);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(s.stats).toEqual({ attempts: 2, retried: true });
  });

  it("hands a wait longer than maxHintWaitMs to the caller at once, even when it fits the deadline", async () => {
    h = harness({ mapError: ({ status }) => (status === 429 ? { retryAfterMs: 10_000 } : undefined) });
    h.vendor.on("GET", "/companies/123").reply({ status: 429 });
    const started = Date.now();
    const error = await rejection(h.client.request(getCompany, { deadline: Date.now() + 30_000 }));
    expect(error).toMatchObject({ code: "RATE_LIMITED", retryAfterMs: 10_000 });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(h.vendor.calls()).toHaveLength(1);
  });

  it("honours the mapper's retryAfterMs (a wait derived from a vendor policy)", async () => {
    h = harness({ mapError: ({ status }) => (status === 429 ? { retryAfterMs: 300 } : undefined) });
    h.vendor.on("GET", "/companies/123").replySequence([{ status: 429 }, { status: 200, body: company }]);
    const started = Date.now();
    await h.client.request(getCompany);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it("returns RATE_LIMITED at once when Retry-After (seconds) is longer than the deadline", async () => {
    h = harness();
    h.vendor.on("GET", "/companies/123").reply({ status: 429, headers: { "retry-after": "120" } });
    const started = Date.now();
    const error = await rejection(h.client.request(getCompany));
    // At once: well inside the 8 s deadline it would otherwise wait out (a generous bound).
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(error).toMatchObject({ code: "RATE_LIMITED", retryable: true, retryAfterMs: 120_000 });
    expect(h.vendor.calls()).toHaveLength(1);
  });

  it("returns RATE_LIMITED at once when Retry-After (HTTP date) is past the deadline", async () => {
    h = harness();
    const date = new Date(Date.now() + 30_000).toUTCString();
    h.vendor.on("GET", "/companies/123").reply({ status: 429, headers: { "retry-after": date } });
    const started = Date.now();
    const error = await rejection(h.client.request(getCompany));
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(error.code).toBe("RATE_LIMITED");
    expect(error.retryAfterMs).toBeGreaterThan(28_000);
    expect(error.retryAfterMs).toBeLessThanOrEqual(30_000);
  });

  it("retries at once when Retry-After is an HTTP date already past", async () => {
    h = harness();
    const past = new Date(Date.now() - 5_000).toUTCString();
    h.vendor.on("GET", "/companies/123").replySequence([
      { status: 503, headers: { "retry-after": past } },
      { status: 200, body: company },
    ]);
    const started = Date.now();
    await h.client.request(getCompany);
    expect(Date.now() - started).toBeLessThan(500);
  });

  it("reads a reset timestamp (epoch seconds) on a rate limit", async () => {
    h = harness();
    const reset = String(Math.floor(Date.now() / 1000) + 60);
    h.vendor.on("GET", "/companies/123").reply({ status: 429, headers: { "x-ratelimit-reset": reset } });
    const error = await rejection(h.client.request(getCompany));
    expect(error.code).toBe("RATE_LIMITED");
    expect(error.retryAfterMs).toBeGreaterThan(58_000);
    expect(error.retryAfterMs).toBeLessThanOrEqual(60_000);
  });

  it("gives a rate limit without a hint the backoff wait when even that does not fit", async () => {
    h = harness({ deadlineMs: 100, backoff: { initialMs: 500, maxMs: 500 } });
    h.vendor.on("GET", "/companies/123").reply({ status: 429 });
    const error = await rejection(h.client.request(getCompany));
    expect(error.code).toBe("RATE_LIMITED");
    expect(error.retryAfterMs).toBeGreaterThanOrEqual(250);
  });
});

describe("the deadline", () => {
  it("an answer slower than the deadline is UPSTREAM_TIMEOUT, on time", async () => {
    h = harness({ deadlineMs: 150 });
    h.vendor.on("GET", "/companies/123").reply({ status: 200, body: company, delayMs: 3000 });
    const started = Date.now();
    const error = await rejection(h.client.request(getCompany));
    const elapsed = Date.now() - started;
    expect(error).toMatchObject({ code: "UPSTREAM_TIMEOUT", sideEffect: "none" });
    expect(elapsed).toBeGreaterThanOrEqual(140);
    expect(elapsed).toBeLessThan(1000);
  });

  it("uses scope.deadline, and a create that timed out has an unknown side effect", async () => {
    h = harness();
    h.vendor.on("POST", "/notes").reply({ status: 201, body: company, delayMs: 3000 });
    const started = Date.now();
    const error = await rejection(h.client.request(createNote, scope({ deadline: Date.now() + 120 })));
    expect(Date.now() - started).toBeLessThan(1000);
    expect(error).toMatchObject({ code: "UPSTREAM_TIMEOUT", sideEffect: "unknown" });
  });

  it("a deadline already past sends nothing", async () => {
    h = harness();
    const s = scope({ deadline: Date.now() - 1 });
    const error = await rejection(h.client.request(getCompany, s));
    expect(error.code).toBe("UPSTREAM_TIMEOUT");
    expect(s.stats.attempts).toBe(0);
    expect(h.vendor.calls()).toHaveLength(0);
  });

  it("aborting scope.signal stops the request at once", async () => {
    h = harness();
    h.vendor.on("GET", "/companies/123").reply({ status: 200, body: company, delayMs: 3000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const started = Date.now();
    const error = await rejection(h.client.request(getCompany, scope({ signal: controller.signal })));
    expect(Date.now() - started).toBeLessThan(1000);
    expect(error.code).toBe("UPSTREAM_TIMEOUT");
    expect(error.message).toContain("cancelled");
  });
});
