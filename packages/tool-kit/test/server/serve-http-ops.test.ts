import { afterEach, describe, expect, it } from "vitest";
import { sendHttpRequest } from "../../src/testing/index.js";
import type { AnyTool } from "../../src/tools/index.js";
import { countContacts } from "../tools/fixture-tools.js";
import { connectHttpClient, gatedTool, sample, startHttp, TOKEN } from "./http-harness.js";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function start(overrides: Parameters<typeof startHttp>[0] = {}) {
  const started = await startHttp(overrides);
  cleanups.push(() => started.serving.close(1_000));
  return started;
}

describe("serveHttp: /healthz", () => {
  it("answers ok without a token or an allowed Host (probes address it by IP)", async () => {
    const { origin } = await start();
    const answer = await sendHttpRequest(`${origin}/healthz`, { headers: { host: "10.1.2.3:8080" } });
    expect(answer.status).toBe(200);
    expect(answer.json()).toEqual({ status: "ok" });
  });

  it("answers 503 degraded while the store does not answer its ping, ok again once it does", async () => {
    let reachable = false;
    const { origin } = await start({ store: { ping: async () => reachable } });
    const down = await sendHttpRequest(`${origin}/healthz`);
    expect(down.status).toBe(503);
    expect(down.json()).toEqual({ status: "degraded", store: "unreachable" });
    reachable = true;
    const up = await sendHttpRequest(`${origin}/healthz`);
    expect(up.status).toBe(200);
    expect(up.json()).toEqual({ status: "ok" });
  });

  it("shows the store's identity (kind, id, created at), never where it lives", async () => {
    const identity = { id: "st_0123456789abcdef", createdAt: Date.parse("2026-11-29T19:00:00.000Z") };
    const store = { kind: "sqlite", ping: async () => true, identity: async () => identity };
    const { origin } = await start({ store });
    const answer = await sendHttpRequest(`${origin}/healthz`);
    expect(answer.status).toBe(200);
    expect(answer.json()).toEqual({
      status: "ok",
      store: { kind: "sqlite", id: "st_0123456789abcdef", createdAt: "2026-11-29T19:00:00.000Z" },
    });
  });

  it("counts a ping that throws as unreachable", async () => {
    const { origin } = await start({ store: { ping: () => Promise.reject(new Error("ECONNREFUSED")) } });
    expect((await sendHttpRequest(`${origin}/healthz`)).status).toBe(503);
  });
});

describe("serveHttp: /metrics", () => {
  it("counts every tool call by tool, outcome and replayed, times it, and labels it with server and env", async () => {
    const { origin, serving } = await start();
    const client = await connectHttpClient(serving.url);
    await client.callTool({ name: "count_contacts", arguments: { contacts: [] } });
    await client.callTool({ name: "count_contacts", arguments: { contacts: [{ email: "a@x.com" }] } });
    await client.callTool({ name: "count_contacts", arguments: { contacts: [{ email: "nope" }] } });
    await client.close();
    await sendHttpRequest(`${origin}/metrics`);

    const answer = await sendHttpRequest(`${origin}/metrics`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(answer.headers["content-type"]).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = answer.text;
    const labels = { server: "test", env: "sandbox", tool: "count_contacts" };
    expect(sample(text, "gtm_tool_calls_total", { ...labels, outcome: "ok", replayed: "false" })).toBe(2);
    expect(
      sample(text, "gtm_tool_calls_total", { ...labels, outcome: "INVALID_INPUT", replayed: "false" }),
    ).toBe(1);
    expect(sample(text, "gtm_tool_call_duration_seconds_count", labels)).toBe(3);
    expect(sample(text, "gtm_tool_call_duration_seconds_bucket", { ...labels, le: "+Inf" })).toBe(3);
    expect(
      sample(text, "gtm_http_requests_total", { route: "/metrics", status: "401", server: "test" }),
    ).toBe(1);
    expect(sample(text, "gtm_http_requests_total", { route: "/mcp", status: "200" })).toBeGreaterThanOrEqual(
      3,
    );
    // The process default metrics, with the same labels.
    expect(
      sample(text, "process_cpu_user_seconds_total", { server: "test", env: "sandbox" }),
    ).toBeGreaterThan(0);
    expect(text).toContain("# TYPE nodejs_eventloop_lag_seconds gauge");
  });
});

describe("serveHttp: shutdown", () => {
  it("stops accepting, then waits for the answer to a call in flight before closing", async () => {
    const gated = gatedTool();
    const { serving, origin, runtime } = await startHttp({ tools: [gated.tool, countContacts as AnyTool] });
    const client = await connectHttpClient(serving.url);
    const call = client.callTool({ name: "gated_read", arguments: {} });
    await gated.started;

    serving.stopAccepting();
    // A new connection during the drain is told the server is stopping, not refused.
    const health = await sendHttpRequest(`${origin}/healthz`);
    expect(health.status).toBe(503);
    expect(health.json()).toEqual({ status: "stopping" });
    const mcp = await sendHttpRequest(`${origin}/mcp`, {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}` },
      body: {},
    });
    expect(mcp.status).toBe(503);
    expect(mcp.headers["retry-after"]).toBe("1");
    let closed = false;
    const closing = serving.close(5_000).then(() => {
      closed = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(closed).toBe(false);
    expect(runtime.tracker?.inflight).toBe(1);

    gated.release();
    expect((await call).structuredContent).toEqual({ ok: true });
    await closing;
    expect(closed).toBe(true);
    // Once closed, the listener is gone.
    await expect(sendHttpRequest(`${origin}/healthz`)).rejects.toThrow(/ECONNREFUSED/);
    await client.close().catch(() => undefined);
  });

  it("closes anyway once the timeout passes", async () => {
    const gated = gatedTool();
    const { serving } = await startHttp({ tools: [gated.tool] });
    const client = await connectHttpClient(serving.url);
    const call = client.callTool({ name: "gated_read", arguments: {} }).catch((error: unknown) => error);
    await gated.started;
    const began = Date.now();
    await serving.close(200);
    expect(Date.now() - began).toBeLessThan(2_000);
    gated.release();
    // The connection was closed under it: the client sees an error, not an answer.
    expect(await call).toBeInstanceOf(Error);
    await client.close().catch(() => undefined);
  });
});
