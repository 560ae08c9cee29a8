import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { CREDITS_CAP } from "../../src/config.js";
import { connectEnrichment, ENRICH } from "../support/connect.js";
import { API_ERROR_BODY, acmeCompany } from "../support/pdl-fixtures.js";

/**
 * A PDL stand-in on a real socket: every enrich request is counted, and `charge` decides per
 * request whether it "spends a credit" and destroys the socket instead of answering (the
 * match is lost in transit), or answers with `reply`.
 */
interface PdlStub {
  url: string;
  requests: number;
  credits: number;
}

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

async function pdlStub(
  answer: (n: number) => "charge-then-drop" | { status: number; body: unknown },
): Promise<PdlStub> {
  const stub: PdlStub = { url: "", requests: 0, credits: 0 };
  const server = createServer((req, res) => {
    if (!req.url?.startsWith(ENRICH)) {
      res.writeHead(404).end();
      return;
    }
    stub.requests += 1;
    const what = answer(stub.requests);
    if (what === "charge-then-drop") {
      stub.credits += 1;
      req.socket.destroy();
      return;
    }
    if (what.status === 200) stub.credits += 1;
    res.writeHead(what.status, { "content-type": "application/json" }).end(JSON.stringify(what.body));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  stub.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return stub;
}

describe("a paid lookup whose answer is lost", () => {
  it("sends one PDL request per call and answers a retryable error saying a credit may have been spent", async () => {
    const stub = await pdlStub(() => "charge-then-drop");
    const e = await connectEnrichment({ pdlUrl: stub.url });
    const { error } = await e.call("get_account_signals", { domain: "acme.com" });
    expect(stub.requests).toBe(1);
    expect(stub.credits).toBe(1);
    expect(error).toMatchObject({
      code: "UPSTREAM_TIMEOUT",
      retryable: true,
      sideEffect: "unknown",
      upstream: { system: "peopledatalabs" },
    });
    expect(error!.message).toMatch(/may have charged a credit/);
    // The unit stays spent: PDL may have charged it.
    expect(await e.store.capUsage(CREDITS_CAP, "test-run")).toBe(1);

    // A later call is a new attempt (bounded by the cap), again exactly one request.
    const again = await e.call("get_account_signals", { domain: "acme.com" });
    expect(again.error).toMatchObject({ code: "UPSTREAM_TIMEOUT", sideEffect: "unknown" });
    expect(stub.requests).toBe(2);
    expect(await e.store.capUsage(CREDITS_CAP, "test-run")).toBe(2);
  });

  it("in a batch, each domain's lost answer costs one request and is reported in its own result", async () => {
    const stub = await pdlStub(() => "charge-then-drop");
    const e = await connectEnrichment({ pdlUrl: stub.url });
    const { data } = await e.call("get_accounts_signals", { domains: ["acme.com", "globex.io"] });
    expect(stub.requests).toBe(2);
    expect(data.failed).toBe(2);
    for (const r of data.results) {
      expect(r.error).toMatchObject({ code: "UPSTREAM_TIMEOUT", retryable: true });
      expect(r.error.message).toMatch(/may have charged a credit/);
    }
  });

  it("once the answer comes through, it is cached: the lost attempt plus one match, then no more requests", async () => {
    const stub = await pdlStub((n) => (n === 1 ? "charge-then-drop" : { status: 200, body: acmeCompany() }));
    const e = await connectEnrichment({ pdlUrl: stub.url });
    const lost = await e.call("get_account_signals", { domain: "acme.com" });
    expect(lost.error).toMatchObject({ code: "UPSTREAM_TIMEOUT" });
    const found = await e.call("get_account_signals", { domain: "acme.com" });
    expect(found.data).toMatchObject({ name: "Acme", cached: false });
    const cached = await e.call("get_account_signals", { domain: "acme.com" });
    expect(cached.data).toMatchObject({ cached: true });
    expect(stub.requests).toBe(2);
  });

  it("a gateway's 502 is a lost answer too: one request, a credit may have been spent, the unit kept", async () => {
    const stub = await pdlStub(() => ({ status: 502, body: "<html>Bad Gateway</html>" }));
    const e = await connectEnrichment({ pdlUrl: stub.url });
    const { error } = await e.call("get_account_signals", { domain: "acme.com" });
    expect(stub.requests).toBe(1);
    expect(error).toMatchObject({ code: "UPSTREAM_UNAVAILABLE", retryable: true, sideEffect: "unknown" });
    expect(error!.message).toMatch(/may have charged a credit/);
    expect(await e.store.capUsage(CREDITS_CAP, "test-run")).toBe(1);
  });

  it("a 500 or 503 may follow a charged match (the vendor acted, then failed): one request, a credit may have been spent, the unit kept", async () => {
    for (const status of [500, 503]) {
      const stub = await pdlStub(() => ({ status, body: API_ERROR_BODY }));
      const e = await connectEnrichment({ pdlUrl: stub.url });
      const { error } = await e.call("get_account_signals", { domain: "acme.com" });
      expect(stub.requests).toBe(1);
      expect(error).toMatchObject({ code: "UPSTREAM_UNAVAILABLE", retryable: true, sideEffect: "unknown" });
      expect(error!.message).toMatch(/may have charged a credit/);
      expect(await e.store.capUsage(CREDITS_CAP, "test-run")).toBe(1);
    }
  });

  it("still resends a request that never reached PDL (connection refused), then answers", async () => {
    // A port that refused: a server opened and closed again.
    const closed = await pdlStub(() => ({ status: 200, body: acmeCompany() }));
    const server = servers.pop()!;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const e = await connectEnrichment({ pdlUrl: closed.url });
    const { error } = await e.call("get_account_signals", { domain: "acme.com" });
    expect(error).toMatchObject({ code: "UPSTREAM_UNAVAILABLE", sideEffect: "none" });
    expect(error!.message).toMatch(/nothing was sent/);
    expect(e.callLines()[0]).toMatchObject({ attempts: 3, retried: true });
    expect(await e.store.capUsage(CREDITS_CAP, "test-run")).toBe(0);
  });
});
