import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type SpawnedHttpServer, sendHttpRequest, spawnHttpServer } from "@gtm-mcp/tool-kit/testing";
import { Client as ClientV2, StreamableHTTPClientTransport as HttpV2 } from "@modelcontextprotocol/client";
import { Client as ClientV1 } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport as HttpV1 } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const entry = join(dirname(fileURLToPath(import.meta.url)), "..", "dist", "main.js");
const TOKEN = "tok-e2e-0123456789abcdef";
let dir: string;
let server: SpawnedHttpServer;

beforeAll(async () => {
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`pnpm build\` first (pnpm test does)`);
  dir = mkdtempSync(join(tmpdir(), "example-http-"));
  server = await spawnHttpServer({
    entry,
    env: {
      PATH: process.env.PATH ?? "",
      GTM_STATE_URL: `sqlite:${join(dir, "s.sqlite")}`,
      GTM_HTTP_TOKENS: `tok-other-0123456789abcdef,${TOKEN}`,
    },
  });
});
afterAll(async () => {
  await server?.stop("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

type ToolResult = { structuredContent?: unknown; isError?: boolean; content?: unknown };
const envelopeOf = (result: ToolResult) =>
  JSON.parse((result.content as Array<{ text: string }>)[0]!.text).error;

describe("the built server over Streamable HTTP (--http)", () => {
  it("serves a v1 client (@modelcontextprotocol/sdk) with the bearer token: list, read, replayed write", async () => {
    const client = new ClientV1({ name: "v1-client", version: "1.0.0" });
    await client.connect(
      new HttpV1(new URL(server.url), { requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } } }),
    );
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name).sort()).toEqual(["lookup_account", "tag_account"]);
      const read = await client.callTool({ name: "lookup_account", arguments: { account_id: "1003" } });
      expect(read.structuredContent).toMatchObject({ account: { id: "1003", name: "Initech" } });
      const args = { account_id: "1003", tag: "vip", occurrence: "v1" };
      const first = await client.callTool({ name: "tag_account", arguments: args });
      expect(first.structuredContent).toMatchObject({ tags: ["prospect", "vip"], replayed: false });
      const again = await client.callTool({ name: "tag_account", arguments: args });
      expect(again.structuredContent).toMatchObject({ tags: ["prospect", "vip"], replayed: true });
      const missing = await client.callTool({ name: "lookup_account", arguments: { account_id: "9999" } });
      expect(envelopeOf(missing as ToolResult)).toMatchObject({ code: "NOT_FOUND", retryable: false });
    } finally {
      await client.close();
    }
  });

  it.each(["legacy", "auto"] as const)(
    "serves a v2 client (@modelcontextprotocol/client, negotiation %s): list, read, replayed write",
    async (mode) => {
      const client = new ClientV2({ name: "v2-client", version: "1.0.0" }, { versionNegotiation: { mode } });
      await client.connect(new HttpV2(new URL(server.url), { authProvider: { token: async () => TOKEN } }));
      try {
        const { tools } = await client.listTools();
        expect(tools.map((t) => t.name).sort()).toEqual(["lookup_account", "tag_account"]);
        const read = await client.callTool({ name: "lookup_account", arguments: { account_id: "1001" } });
        expect(read.structuredContent).toMatchObject({ account: { name: "Acme Corp" } });
        const args = { account_id: "1002", tag: "churn-risk", occurrence: `v2-${mode}` };
        const first = await client.callTool({ name: "tag_account", arguments: args });
        expect(first.structuredContent).toMatchObject({ account_id: "1002", replayed: false });
        const again = await client.callTool({ name: "tag_account", arguments: args });
        expect(again.structuredContent).toMatchObject({ account_id: "1002", replayed: true });
      } finally {
        await client.close();
      }
    },
  );

  it("refuses a client without the token (401) and a request with a foreign Host (403)", async () => {
    const anonymous = new ClientV1({ name: "v1-anonymous", version: "1.0.0" });
    await expect(anonymous.connect(new HttpV1(new URL(server.url)))).rejects.toThrow();

    const init = {
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } },
    };
    const headers = { accept: "application/json, text/event-stream", "content-type": "application/json" };
    const none = await sendHttpRequest(server.url, { method: "POST", headers, body: init });
    expect(none.status).toBe(401);
    expect(none.headers["www-authenticate"]).toBe('Bearer realm="gtm-mcp"');
    const rebound = await sendHttpRequest(server.url, {
      method: "POST",
      headers: { ...headers, authorization: `Bearer ${TOKEN}`, host: `attacker.example:${server.port}` },
      body: init,
    });
    expect(rebound.status).toBe(403);
  });

  it("answers /healthz without a token and /metrics with the calls made, labelled with server and env", async () => {
    const health = await sendHttpRequest(`${server.origin}/healthz`);
    expect(health.status).toBe(200);
    // Which store answers: its kind, id and creation time (never where it lives).
    expect(health.json()).toEqual({
      status: "ok",
      store: {
        kind: "sqlite",
        id: expect.stringMatching(/^st_[0-9a-f]{16}$/),
        createdAt: expect.any(String),
      },
    });
    const metrics = await sendHttpRequest(`${server.origin}/metrics`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(metrics.status).toBe(200);
    expect(metrics.text).toMatch(
      /^gtm_tool_calls_total\{tool="tag_account",outcome="ok",replayed="true",server="example",env="sandbox"\} [1-9]/m,
    );
    expect(metrics.text).toMatch(/^gtm_tool_call_duration_seconds_count\{.*tool="lookup_account".*\} [1-9]/m);
  });

  it("writes nothing to stdout, logs to stderr, never a token, and exits 0 on SIGTERM", async () => {
    expect(await server.stop("SIGTERM")).toBe(0);
    expect(server.stdout()).toBe("");
    expect(server.stderr()).not.toContain("0123456789abcdef");
    const logs = server.logs();
    expect(logs.find((l) => l.event === "tool_call")).toMatchObject({ server: "example", env: "sandbox" });
    expect(logs.some((l) => l.msg === "shutting down" && l.reason === "SIGTERM")).toBe(true);
  });
});
