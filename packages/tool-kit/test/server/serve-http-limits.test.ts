import { connect, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { sendHttpRequest } from "../../src/testing/index.js";
import { gatedTool, INITIALIZE, MCP_HEADERS, startHttp, TOKEN } from "./http-harness.js";

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function start(overrides: Parameters<typeof startHttp>[0] = {}) {
  const started = await startHttp(overrides);
  cleanups.push(() => started.serving.close(1_000));
  return started;
}

const headers = { ...MCP_HEADERS, authorization: `Bearer ${TOKEN}` };

/** A raw connection that sends `head` (and maybe part of a body), then keeps still. */
function rawConnection(port: number, text: string): { socket: Socket; closed: Promise<string> } {
  const socket = connect(port, "127.0.0.1");
  cleanups.push(() => void socket.destroy());
  let received = "";
  socket.on("data", (d) => {
    received += d;
  });
  socket.on("error", () => undefined);
  const closed = new Promise<string>((resolve) => socket.on("close", () => resolve(received)));
  socket.write(text);
  return { socket, closed };
}

describe("serveHttp: bodies it will not process", () => {
  it("answers 400 (never 500) to JSON nested 5,000 deep, and to 100,000 deep, without recursion", async () => {
    const { origin, lines } = await start();
    for (const depth of [65, 5_000, 100_000]) {
      const body = `${"[".repeat(depth)}${"]".repeat(depth)}`;
      const answer = await sendHttpRequest(`${origin}/mcp`, { method: "POST", headers, body });
      expect(answer.status, `depth ${depth}`).toBe(400);
      expect(answer.json()).toMatchObject({ jsonrpc: "2.0", id: null, error: { code: -32600 } });
    }
    const nestedParams = `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"x","arguments":{"a":${"[".repeat(5_000)}${"]".repeat(5_000)}}}}`;
    expect(
      (await sendHttpRequest(`${origin}/mcp`, { method: "POST", headers, body: nestedParams })).status,
    ).toBe(400);
    // A string full of brackets is not nesting.
    const fine = JSON.stringify({
      ...INITIALIZE,
      params: { ...INITIALIZE.params, clientInfo: { name: "[".repeat(5_000), version: "1" } },
    });
    expect((await sendHttpRequest(`${origin}/mcp`, { method: "POST", headers, body: fine })).status).toBe(
      200,
    );
    expect(lines.join("\n")).not.toMatch(/Maximum call stack|HTTP request failed/);
  });
});

describe("serveHttp: timeouts", () => {
  it("closes a connection whose body stops arriving once the request timeout passes", async () => {
    const { serving } = await start({ timeouts: { requestMs: 1_000, headersMs: 1_000 } });
    const head = [
      "POST /mcp HTTP/1.1",
      `Host: 127.0.0.1:${serving.port}`,
      `Authorization: Bearer ${TOKEN}`,
      "Content-Type: application/json",
      "Content-Length: 1000",
      "",
      '{"jsonrpc":"2.0",',
    ].join("\r\n");
    const slowBody = rawConnection(serving.port, head);
    const slowHeaders = rawConnection(serving.port, "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    // Closed by the server (with a 408 where it can), not held open: well within a minute.
    expect(await slowBody.closed).toMatch(/^(HTTP\/1\.1 408|)/);
    expect(await slowHeaders.closed).toMatch(/^(HTTP\/1\.1 408|)/);
  });
});

describe("serveHttp: per-client concurrency", () => {
  it("answers 429 with Retry-After past the bound, and serves the client again once a slot frees", async () => {
    const gated = gatedTool();
    const { origin } = await start({ tools: [gated.tool], maxConcurrentPerClient: 2 });
    const call = (id: number) => ({
      jsonrpc: "2.0",
      id,
      method: "tools/call",
      params: { name: "gated_read", arguments: {} },
    });
    const legacy = { ...headers, "mcp-protocol-version": "2025-06-18" };
    const first = sendHttpRequest(`${origin}/mcp`, { method: "POST", headers: legacy, body: call(1) });
    const second = sendHttpRequest(`${origin}/mcp`, { method: "POST", headers: legacy, body: call(2) });
    await gated.started;
    await new Promise((resolve) => setTimeout(resolve, 100));
    const third = await sendHttpRequest(`${origin}/mcp`, { method: "POST", headers: legacy, body: call(3) });
    expect(third.status).toBe(429);
    expect(third.headers["retry-after"]).toBe("1");
    expect(third.json()).toMatchObject({ error: { message: /at most 2/ } });
    // Another credential is another client.
    const other = await sendHttpRequest(`${origin}/healthz`);
    expect(other.status).toBe(200);
    gated.release();
    expect((await first).status).toBe(200);
    expect((await second).status).toBe(200);
    const again = await sendHttpRequest(`${origin}/mcp`, { method: "POST", headers: legacy, body: call(4) });
    expect(again.status).toBe(200);
  });
});
