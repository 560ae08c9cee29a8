import { request } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import { type MockVendor, mockVendor } from "../../src/testing/index.js";

let vendor: MockVendor;
afterEach(async () => {
  await vendor.close();
});

describe("mockVendor", () => {
  it("matches paths below the base URL, query subsets and JSON bodies, and records calls", async () => {
    vendor = mockVendor("https://vendor.test/v5");
    vendor
      .on("POST", "/search", { query: { limit: "10" }, body: { q: "acme" } })
      .reply({ status: 200, body: { ok: true } });
    const res = await request("https://vendor.test/v5/search?limit=10&after=x", {
      method: "POST",
      body: JSON.stringify({ q: "acme" }),
      headers: { "X-Api-Key": "k" },
      dispatcher: vendor.dispatcher,
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toBe("application/json");
    expect(await res.body.json()).toEqual({ ok: true });
    expect(vendor.calls()).toEqual([
      {
        method: "POST",
        path: "/search?limit=10&after=x",
        pathname: "/search",
        query: { limit: "10", after: "x" },
        headers: { "x-api-key": "k" },
        body: { q: "acme" },
      },
    ]);
    vendor.assertAllUsed();
  });

  it("does not match a different body, and refuses unmatched requests (network disabled)", async () => {
    vendor = mockVendor("https://vendor.test");
    vendor
      .on("POST", "/search", { body: (b: unknown) => (b as { q?: string }).q === "acme" })
      .reply({ status: 200 });
    await expect(
      request("https://vendor.test/search", {
        method: "POST",
        body: '{"q":"other"}',
        dispatcher: vendor.dispatcher,
      }),
    ).rejects.toThrow(/not matched/);
    expect(() => vendor.assertAllUsed()).toThrow(/pending/i);
  });

  it("answers a sequence in order, then fails", async () => {
    vendor = mockVendor("https://vendor.test");
    vendor.on("GET", /^\/items\/\d+$/).replySequence([{ status: 500 }, { status: 200, body: "plain" }]);
    const first = await request("https://vendor.test/items/1", { dispatcher: vendor.dispatcher });
    const second = await request("https://vendor.test/items/2", { dispatcher: vendor.dispatcher });
    expect([first.statusCode, second.statusCode]).toEqual([500, 200]);
    expect(await second.body.text()).toBe("plain");
    await expect(request("https://vendor.test/items/3", { dispatcher: vendor.dispatcher })).rejects.toThrow();
  });

  it("drops the connection after the request, with undici's socket error", async () => {
    vendor = mockVendor("https://vendor.test");
    vendor.on("GET", "/x").dropAfterRequest();
    await expect(request("https://vendor.test/x", { dispatcher: vendor.dispatcher })).rejects.toMatchObject({
      code: "UND_ERR_SOCKET",
    });
    expect(vendor.calls()).toHaveLength(1);
  });

  it("refuses the connection with ECONNREFUSED", async () => {
    vendor = mockVendor("https://vendor.test");
    vendor.on("GET", "/x").refuseConnection();
    await expect(request("https://vendor.test/x", { dispatcher: vendor.dispatcher })).rejects.toMatchObject({
      code: "ECONNREFUSED",
    });
  });

  it("delays an answer", async () => {
    vendor = mockVendor("https://vendor.test");
    vendor.on("GET", "/slow").reply({ status: 200, delayMs: 120 });
    const started = Date.now();
    await request("https://vendor.test/slow", { dispatcher: vendor.dispatcher });
    expect(Date.now() - started).toBeGreaterThanOrEqual(110);
  });
});
