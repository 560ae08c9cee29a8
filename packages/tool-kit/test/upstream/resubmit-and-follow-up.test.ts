import { afterEach, describe, expect, it } from "vitest";
import { followUpScope } from "../../src/upstream/index.js";
import { company, companySchema, type Harness, harness, rejection, scope } from "./harness.js";

let h: Harness;
afterEach(async () => {
  await h.close();
});

/** A submit carrying a vendor idempotency token: safe to repeat, marked on resubmits. */
const submit = {
  method: "POST" as const,
  path: "/jobs",
  query: { requestId: "req-1" },
  retryQuery: { retry: true },
  body: { run: "report" },
  operation: "jobs.submit",
  safeToRepeat: true,
  schema: companySchema,
};

describe("resubmits (retryQuery)", () => {
  it("sends the first attempt plain and every resubmit with the retry marker and the same token", async () => {
    h = harness();
    h.vendor
      .on("POST", "/jobs")
      .replySequence([{ status: 503 }, { status: 429 }, { status: 200, body: company }]);
    const res = await h.client.request(submit, scope());
    expect(res.body).toEqual(company);
    const queries = h.vendor.calls().map((c) => c.query);
    expect(queries).toEqual([
      { requestId: "req-1" },
      { requestId: "req-1", retry: "true" },
      { requestId: "req-1", retry: "true" },
    ]);
  });
});

describe("a mapper's final answer (retry: false)", () => {
  it("is not retried and does not count as an outage, whatever its code", async () => {
    h = harness({
      mapError: ({ status }) => (status === 408 ? { code: "UPSTREAM_TIMEOUT", retry: false } : undefined),
      breaker: { consecutiveFailures: 1 },
    });
    h.vendor.on("POST", "/jobs").reply({ status: 408 }).reply({ status: 200, body: company });
    const error = await rejection(h.client.request(submit, scope()));
    expect(error).toMatchObject({ code: "UPSTREAM_TIMEOUT", retryable: true });
    expect(h.vendor.calls()).toHaveLength(1);
    // The circuit stayed closed: the next call goes out.
    await expect(h.client.request(submit, scope())).resolves.toMatchObject({ body: company });
  });
});

describe("followUpScope", () => {
  it("lets a request go out after the call's own signal aborted, counted in the call's stats", async () => {
    h = harness();
    h.vendor.on("POST", "/jobs/1/cancel").reply({ status: 200, body: company });
    const controller = new AbortController();
    const call = scope({ signal: controller.signal, deadline: Date.now() + 60_000 });
    controller.abort(new Error("client cancelled"));
    const cancel = { ...submit, path: "/jobs/1/cancel", query: {}, operation: "jobs.cancel" };
    await expect(h.client.request(cancel, call)).rejects.toMatchObject({ code: "UPSTREAM_TIMEOUT" });
    await expect(h.client.request(cancel, followUpScope(call))).resolves.toMatchObject({ body: company });
    expect(call.stats.attempts).toBe(2);
  });

  it("has a deadline of its own", () => {
    h = harness();
    const before = Date.now();
    const s = followUpScope({ deadline: before - 1_000 }, 3_000);
    expect(s.deadline).toBeGreaterThanOrEqual(before + 3_000);
    expect(s.signal?.aborted).toBe(false);
  });
});
