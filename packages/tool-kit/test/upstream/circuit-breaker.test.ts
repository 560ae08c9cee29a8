import { setTimeout as delay } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import { company, getCompany, type Harness, harness, rejection, scope } from "./harness.js";

let h: Harness;
afterEach(async () => {
  await h.close();
});

/** Three consecutive outages open the circuit for 150 ms; one attempt per call. */
const options = {
  breaker: { consecutiveFailures: 3, halfOpenAfterMs: 150 },
  backoff: { initialMs: 1, maxMs: 2, maxAttempts: 1 },
};

async function failTimes(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await rejection(h.client.request(getCompany));
}

describe("the circuit breaker", () => {
  it("opens after N consecutive outages and then fails fast without a request", async () => {
    h = harness(options);
    h.vendor.on("GET", "/companies/123").reply({ status: 503 }, { times: 3 });
    await failTimes(3);
    expect(h.vendor.calls()).toHaveLength(3);

    const s = scope();
    // "Fast" is shown by what did not happen (no attempt, no request, no wait for the
    // half-open timer), never by a wall-clock bound a loaded machine can miss.
    const error = await rejection(h.client.request(getCompany, s));
    expect(error).toMatchObject({ code: "UPSTREAM_UNAVAILABLE", retryable: true, sideEffect: "none" });
    expect(error.message).toContain("circuit is open");
    expect(error.retryAfterMs).toBeGreaterThan(0);
    expect(error.retryAfterMs).toBeLessThanOrEqual(150);
    expect(s.stats.attempts).toBe(0);
    expect(h.vendor.calls()).toHaveLength(3);
  });

  it("counts connection failures (before and after write) as outages", async () => {
    h = harness(options);
    h.vendor.on("GET", "/companies/123").refuseConnection().dropAfterRequest().refuseConnection();
    await failTimes(3);
    const error = await rejection(h.client.request(getCompany));
    expect(error.message).toContain("circuit is open");
    expect(h.vendor.calls()).toHaveLength(3);
  });

  it("lets a probe through after halfOpenAfter; a successful probe closes it", async () => {
    h = harness(options);
    h.vendor
      .on("GET", "/companies/123")
      .reply({ status: 503 }, { times: 3 })
      .reply({ status: 200, body: company }, { times: 2 });
    await failTimes(3);
    await delay(170);
    const probe = await h.client.request(getCompany);
    expect(probe.body).toEqual(company);
    // Closed again: the next call goes through.
    const next = await h.client.request(getCompany);
    expect(next.status).toBe(200);
    expect(h.vendor.calls()).toHaveLength(5);
  });

  it("turns calls away while the half-open probe is in flight instead of queueing them", async () => {
    h = harness(options);
    h.vendor
      .on("GET", "/companies/123")
      .reply({ status: 503 }, { times: 3 })
      .reply({ status: 200, body: company, delayMs: 300 });
    await failTimes(3);
    await delay(170);
    const probe = h.client.request(getCompany);
    // Turned away, not queued: it settles before the probe (which the vendor holds 300 ms).
    const first = await Promise.race([
      rejection(h.client.request(getCompany)).then((error) => ({ turnedAway: error })),
      probe.then(() => ({ turnedAway: undefined })),
    ]);
    const turnedAway = first.turnedAway!;
    expect(turnedAway).toBeDefined();
    expect(turnedAway).toMatchObject({ code: "UPSTREAM_UNAVAILABLE" });
    expect(turnedAway.message).toContain("probe");
    expect((await probe).status).toBe(200);
    expect(h.vendor.calls()).toHaveLength(4);
  });

  it("a failed probe opens it again", async () => {
    h = harness(options);
    h.vendor.on("GET", "/companies/123").reply({ status: 503 }, { times: 4 });
    await failTimes(3);
    await delay(170);
    const probe = await rejection(h.client.request(getCompany));
    expect(probe.message).not.toContain("circuit");
    const after = await rejection(h.client.request(getCompany));
    expect(after.message).toContain("circuit is open");
    expect(h.vendor.calls()).toHaveLength(4);
  });

  it("does not count 4xx answers (the vendor is up), and a 4xx resets the count", async () => {
    h = harness(options);
    h.vendor
      .on("GET", "/companies/123")
      .replySequence([{ status: 404 }, { status: 404 }, { status: 404 }, { status: 404 }])
      .replySequence([{ status: 503 }, { status: 503 }, { status: 422 }, { status: 503 }, { status: 503 }]);
    await failTimes(4);
    await failTimes(5);
    // Never three outages in a row: every request reached the vendor.
    const last = await rejection(h.client.request(getCompany));
    expect(last.code).toBe("INTERNAL"); // no stub left, i.e. the circuit let it through
    expect(h.vendor.calls()).toHaveLength(10);
  });

  it("counts one failure per call, not per attempt: one call's retries cannot open it alone", async () => {
    h = harness({
      breaker: { consecutiveFailures: 2, halfOpenAfterMs: 5000 },
      backoff: { initialMs: 1, maxMs: 2, maxAttempts: 3 },
    });
    h.vendor.on("GET", "/companies/123").reply({ status: 503 }, { persist: true });
    const first = scope();
    expect(await rejection(h.client.request(getCompany, first))).toMatchObject({
      code: "UPSTREAM_UNAVAILABLE",
    });
    expect(first.stats.attempts).toBe(3);
    // Three failed attempts, one failed call: the circuit is still closed.
    const second = scope();
    const error = await rejection(h.client.request(getCompany, second));
    expect(second.stats.attempts).toBe(3);
    // The second failed call opened it: its own error says what the vendor answered, with the wait.
    expect(error).toMatchObject({ code: "UPSTREAM_UNAVAILABLE", upstream: { status: 503 } });
    expect(error.retryAfterMs).toBeGreaterThan(4000);
    expect((await rejection(h.client.request(getCompany))).message).toContain("circuit is open");
    expect(h.vendor.calls()).toHaveLength(6);
  });
});
