import { afterEach, describe, expect, it } from "vitest";
import { sendHttpRequest } from "../../src/testing/index.js";
import { connectHttpClient, INITIALIZE, MCP_HEADERS, startHttp, TOKEN } from "./http-harness.js";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function start(overrides: Parameters<typeof startHttp>[0] = {}) {
  const started = await startHttp(overrides);
  cleanups.push(() => started.serving.close(1_000));
  return started;
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe("serveHttp: bearer authentication", () => {
  it("answers 401 with a challenge without a token, invalid_token with a wrong one, and serves the right one", async () => {
    const { origin, lines } = await start();
    const none = await sendHttpRequest(`${origin}/mcp`, {
      method: "POST",
      headers: MCP_HEADERS,
      body: INITIALIZE,
    });
    expect(none.status).toBe(401);
    expect(none.headers["www-authenticate"]).toBe('Bearer realm="gtm-mcp"');

    const wrong = await sendHttpRequest(`${origin}/mcp`, {
      method: "POST",
      headers: { ...MCP_HEADERS, ...bearer("tok-wrong-0123456789abcdef") },
      body: INITIALIZE,
    });
    expect(wrong.status).toBe(401);
    expect(wrong.headers["www-authenticate"]).toBe('Bearer realm="gtm-mcp", error="invalid_token"');

    const right = await sendHttpRequest(`${origin}/mcp`, {
      method: "POST",
      headers: { ...MCP_HEADERS, ...bearer(TOKEN) },
      body: INITIALIZE,
    });
    expect(right.status).toBe(200);
    expect(right.text).toContain('"protocolVersion"');
    // Neither the presented tokens nor the configured one reach a log line.
    expect(lines.join("\n")).not.toMatch(/tok-(wrong|http)-0123456789abcdef/);
  });

  it("lets a real client in with the token and refuses it without", async () => {
    const { serving } = await start();
    const client = await connectHttpClient(serving.url);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(["count_contacts"]);
    const result = await client.callTool({ name: "count_contacts", arguments: { contacts: [] } });
    expect(result.structuredContent).toEqual({ count: 0 });
    await client.close();
    await expect(connectHttpClient(serving.url, "tok-wrong-0123456789abcdef")).rejects.toThrow();
  });

  it("guards /metrics with the token too", async () => {
    const { origin } = await start();
    expect((await sendHttpRequest(`${origin}/metrics`)).status).toBe(401);
    expect((await sendHttpRequest(`${origin}/metrics`, { headers: bearer(TOKEN) })).status).toBe(200);
  });
});

describe("serveHttp: Host and Origin (DNS rebinding), before authentication", () => {
  it("refuses a Host not on the list with 403, token or not", async () => {
    const { origin, serving } = await start();
    for (const headers of [{ ...MCP_HEADERS, ...bearer(TOKEN) }, MCP_HEADERS]) {
      const answer = await sendHttpRequest(`${origin}/mcp`, {
        method: "POST",
        headers: { ...headers, host: `evil.example:${serving.port}` },
        body: INITIALIZE,
      });
      expect(answer.status).toBe(403);
      expect(answer.json()).toMatchObject({ error: "forbidden", error_description: "Host not allowed" });
    }
    const metrics = await sendHttpRequest(`${origin}/metrics`, {
      headers: { ...bearer(TOKEN), host: "evil.example" },
    });
    expect(metrics.status).toBe(403);
    const localhost = await sendHttpRequest(`${origin}/mcp`, {
      method: "POST",
      headers: { ...MCP_HEADERS, ...bearer(TOKEN), host: `localhost:${serving.port}` },
      body: INITIALIZE,
    });
    expect(localhost.status).toBe(200);
  });

  it("refuses an Origin not on the list with 403 and serves a listed one", async () => {
    const { origin } = await start({ allowedOrigins: ["https://app.example.com"] });
    const post = (extra: Record<string, string>) =>
      sendHttpRequest(`${origin}/mcp`, {
        method: "POST",
        headers: { ...MCP_HEADERS, ...extra },
        body: INITIALIZE,
      });
    const evil = await post({ ...bearer(TOKEN), origin: "https://evil.example" });
    expect(evil.status).toBe(403);
    expect(evil.json()).toMatchObject({ error_description: "Origin not allowed" });
    expect((await post({ origin: "https://evil.example" })).status).toBe(403);
    expect((await post({ ...bearer(TOKEN), origin: "null" })).status).toBe(403);
    expect((await post({ ...bearer(TOKEN), origin: "https://app.example.com" })).status).toBe(200);
  });

  it("accepts the configured Host values instead of the loopback ones", async () => {
    const { origin } = await start({ allowedHosts: ["mcp.example.com"] });
    const ask = (host: string) =>
      sendHttpRequest(`${origin}/metrics`, { headers: { ...bearer(TOKEN), host } });
    expect((await ask("mcp.example.com")).status).toBe(200);
    expect((await ask("mcp.example.com:8443")).status).toBe(200);
    expect((await ask(new URL(origin).host)).status).toBe(403);
  });
});

describe("serveHttp: paths and sizes", () => {
  it("answers 404 on any other path", async () => {
    const { origin } = await start();
    for (const path of ["/", "/nope", "/mcp/extra", "/healthz/x"]) {
      const answer = await sendHttpRequest(`${origin}${path}`, { headers: bearer(TOKEN) });
      expect(answer.status, path).toBe(404);
    }
  });

  it("answers 413 to a body over the limit, declared or streamed, and takes one under it", async () => {
    const { origin } = await start({ maxBodyBytes: 1_024 });
    const headers = { ...MCP_HEADERS, ...bearer(TOKEN) };
    const padded = (size: number) =>
      JSON.stringify({
        ...INITIALIZE,
        params: { ...INITIALIZE.params, capabilities: { experimental: { pad: { text: "x".repeat(size) } } } },
      });
    const declared = await sendHttpRequest(`${origin}/mcp`, { method: "POST", headers, body: padded(4_000) });
    expect(declared.status).toBe(413);
    expect(declared.json()).toMatchObject({ jsonrpc: "2.0", error: { message: /larger than 1024 bytes/ } });
    const streamed = await sendHttpRequest(`${origin}/mcp`, {
      method: "POST",
      headers,
      body: padded(4_000),
      chunkSize: 256,
    });
    expect(streamed.status).toBe(413);
    expect(
      (await sendHttpRequest(`${origin}/mcp`, { method: "POST", headers, body: padded(600) })).status,
    ).toBe(200);
    // Without the token the body is never read: 401, not 413.
    const anonymous = await sendHttpRequest(`${origin}/mcp`, {
      method: "POST",
      headers: MCP_HEADERS,
      body: padded(4_000),
    });
    expect(anonymous.status).toBe(401);
  });
});
