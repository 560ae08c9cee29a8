import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { ToolError } from "../../src/errors/index.js";
import { createNote, getCompany, type Harness, harness, rejection, scope } from "./harness.js";

let h: Harness;
afterEach(async () => {
  await h.close();
});

/** One attempt per call, so each test sees exactly one classification. */
const single = { backoff: { initialMs: 1, maxMs: 5, maxAttempts: 1 } };

describe("a successful answer", () => {
  it("is parsed by the schema, with the request built from base URL, path, query, body and auth", async () => {
    h = harness({ requestIdOf: (headers) => headers["x-request-id"] });
    h.vendor.on("POST", "/companies/search", { query: { limit: "2" } }).reply({
      status: 200,
      headers: { "x-request-id": "req-1" },
      body: { id: "1", name: null, extra: "ignored" },
    });
    const s = scope();
    const res = await h.client.request(
      {
        ...getCompany,
        method: "POST",
        path: "/companies/search",
        query: { limit: 2, after: undefined },
        body: { q: "acme" },
      },
      s,
    );
    expect(res).toMatchObject({ status: 200, body: { id: "1", name: null }, requestId: "req-1" });
    expect(s.stats).toEqual({ attempts: 1, retried: false });
    const [call] = h.vendor.calls();
    expect(call?.path).toBe("/companies/search?limit=2");
    expect(call?.body).toEqual({ q: "acme" });
    expect(call?.headers.authorization).toBe("Bearer tok_live_5f8a2c9e1b7d4a03");
    expect(call?.headers["content-type"]).toBe("application/json");
    expect(call?.headers["user-agent"]).toMatch(/^gtm-mcp\/\d+\.\d+\.\d+ \(\+vendor\)$/);
  });

  it("lets the caller override the User-Agent", async () => {
    h = harness({ userAgent: "acme-gtm/2.0" });
    h.vendor.on("GET", "/companies/123").reply({ status: 200, body: { id: "123", name: "Acme" } });
    await h.client.request(getCompany);
    expect(h.vendor.calls()[0]?.headers["user-agent"]).toBe("acme-gtm/2.0");
  });
});

describe("transport failures", () => {
  it("connection refused before the request was written is UPSTREAM_UNAVAILABLE with no side effect, even for a create", async () => {
    h = harness(single);
    h.vendor.on("POST", "/notes").refuseConnection();
    const error = await rejection(h.client.request(createNote));
    expect(error).toBeInstanceOf(ToolError);
    expect(error).toMatchObject({ code: "UPSTREAM_UNAVAILABLE", retryable: true, sideEffect: "none" });
    expect(error.upstream).toEqual({ system: "vendor" });
    expect(error.message).toContain("ECONNREFUSED");
  });

  it("a connection dropped after a safe request was written is UPSTREAM_TIMEOUT with no side effect", async () => {
    h = harness(single);
    h.vendor.on("GET", "/companies/123").dropAfterRequest();
    const error = await rejection(h.client.request(getCompany));
    expect(error).toMatchObject({ code: "UPSTREAM_TIMEOUT", retryable: true, sideEffect: "none" });
  });

  it("a connection dropped after a create was written is UPSTREAM_TIMEOUT with an unknown side effect", async () => {
    h = harness(single);
    h.vendor.on("POST", "/notes").dropAfterRequest();
    const error = await rejection(h.client.request(createNote));
    expect(error).toMatchObject({ code: "UPSTREAM_TIMEOUT", retryable: true, sideEffect: "unknown" });
    expect(error.message).toContain("UND_ERR_SOCKET");
  });

  it("a request no stub matches is INTERNAL (the network is disabled), not an outage", async () => {
    h = harness(single);
    const error = await rejection(h.client.request(getCompany));
    expect(error.code).toBe("INTERNAL");
  });
});

describe("HTTP error answers (tool-kit defaults)", () => {
  it.each([
    [500, getCompany, "UPSTREAM_UNAVAILABLE", "none"],
    [503, getCompany, "UPSTREAM_UNAVAILABLE", "none"],
    [500, createNote, "UPSTREAM_UNAVAILABLE", "unknown"],
    [502, createNote, "UPSTREAM_UNAVAILABLE", "unknown"],
    [429, getCompany, "RATE_LIMITED", "none"],
    [429, createNote, "RATE_LIMITED", "none"],
    [401, getCompany, "PERMISSION_DENIED", "none"],
    [403, createNote, "PERMISSION_DENIED", "none"],
    [404, getCompany, "NOT_FOUND", "none"],
    [409, createNote, "CONFLICT", "none"],
    [422, createNote, "UPSTREAM_REJECTED", "none"],
    [400, getCompany, "UPSTREAM_REJECTED", "none"],
  ] as const)("%i to %s is %s (sideEffect %s)", async (status, req, code, sideEffect) => {
    h = harness({ ...single, requestIdOf: (headers) => headers["x-request-id"] });
    h.vendor
      .on(req.method, req.path)
      .reply({ status, headers: { "x-request-id": "corr-9" }, body: { message: "raw vendor text" } });
    const error = await rejection(h.client.request(req));
    expect(error).toMatchObject({ code, sideEffect });
    expect(error.upstream).toEqual({ system: "vendor", status, requestId: "corr-9" });
    // Without a mapper the message is generic: a vendor body never becomes the message.
    expect(error.message).toBe(`vendor answered ${status} to ${req.operation}`);
    expect(h.vendor.calls()).toHaveLength(1);
  });

  it("the vendor mapper overrides code, message, requestId, field, details and retryAfterMs", async () => {
    h = harness({
      ...single,
      mapError: ({ status, body }) =>
        status === 402
          ? {
              code: "QUOTA_EXHAUSTED",
              message: (body as { error: { message: string } }).error.message,
              requestId: "from-mapper",
              field: "website",
              details: { plan: "free" },
              retryAfterMs: 3_600_000,
            }
          : undefined,
    });
    h.vendor
      .on("GET", "/companies/123")
      .reply({ status: 402, body: { error: { message: "Credits used up" } } });
    const error = await rejection(h.client.request(getCompany));
    expect(error).toMatchObject({
      code: "QUOTA_EXHAUSTED",
      retryable: false,
      message: "Credits used up",
      field: "website",
      details: { plan: "free" },
      retryAfterMs: 3_600_000,
      upstream: { system: "vendor", status: 402, requestId: "from-mapper" },
    });
  });

  it("a mapper that throws falls back to the defaults", async () => {
    h = harness({
      ...single,
      mapError: () => {
        throw new Error("mapper bug");
      },
    });
    h.vendor.on("GET", "/companies/123").reply({ status: 404, body: "<html>not found</html>" });
    const error = await rejection(h.client.request(getCompany));
    expect(error.code).toBe("NOT_FOUND");
  });

  it("the mapper sees the parsed JSON body, or the raw text when it is not JSON", async () => {
    const seen: unknown[] = [];
    h = harness({
      ...single,
      mapError: (input) => {
        seen.push(input.body);
        return undefined;
      },
    });
    h.vendor.on("GET", "/companies/123").replySequence([
      { status: 400, body: { category: "VALIDATION_ERROR" } },
      { status: 502, body: "<html>Bad gateway</html>" },
    ]);
    await rejection(h.client.request(getCompany));
    await rejection(h.client.request(getCompany));
    expect(seen).toEqual([{ category: "VALIDATION_ERROR" }, "<html>Bad gateway</html>"]);
  });
});

describe("a 2xx body that drifted", () => {
  const listSchema = z.object({ results: z.array(z.object({ id: z.string() })) });
  const search = { ...getCompany, method: "POST" as const, path: "/search", schema: listSchema };

  it("is UPSTREAM_CONTRACT_VIOLATION, terminal, logged at error level with the zod path", async () => {
    h = harness();
    h.vendor.on("POST", "/search").reply({ status: 200, body: { results: [{ id: "1" }, { id: 2 }] } });
    const s = scope();
    const error = await rejection(h.client.request(search, s));
    expect(error).toMatchObject({
      code: "UPSTREAM_CONTRACT_VIOLATION",
      retryable: false,
      sideEffect: "none",
    });
    expect(error.message).toContain("results[1].id");
    expect(error.details?.drift).toEqual([
      expect.objectContaining({ path: "results[1].id", code: "invalid_type" }),
    ]);
    expect(s.stats.attempts).toBe(1);
    const logged = h.logs.find((l) => l.level === "error");
    expect(logged).toMatchObject({ system: "vendor", operation: "companies.get", status: 200 });
    expect(logged?.drift).toEqual([expect.objectContaining({ path: "results[1].id" })]);
  });

  it("reports sideEffect committed for a create (the vendor acted)", async () => {
    h = harness();
    h.vendor.on("POST", "/notes").reply({ status: 201, body: { identifier: "n1" } });
    const error = await rejection(h.client.request(createNote));
    expect(error).toMatchObject({ code: "UPSTREAM_CONTRACT_VIOLATION", sideEffect: "committed" });
    expect(h.vendor.calls()).toHaveLength(1);
  });

  it("a 2xx body that is not JSON is a contract violation too", async () => {
    h = harness();
    h.vendor.on("GET", "/companies/123").reply({ status: 200, body: "<html>maintenance</html>" });
    const error = await rejection(h.client.request(getCompany));
    expect(error.code).toBe("UPSTREAM_CONTRACT_VIOLATION");
  });

  it("a 2xx status outside okStatuses is a contract violation", async () => {
    h = harness();
    h.vendor.on("GET", "/companies/123").reply({ status: 202, body: { id: "123", name: "Acme" } });
    const error = await rejection(h.client.request({ ...getCompany, okStatuses: [200] }));
    expect(error.code).toBe("UPSTREAM_CONTRACT_VIOLATION");
  });
});
