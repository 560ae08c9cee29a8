import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { z } from "zod";
import { type HttpServeOptions, serveHttp } from "../../src/server/index.js";
import { createServerMetrics } from "../../src/server/metrics-entry.js";
import { createTestRuntime } from "../../src/testing/index.js";
import { type AnyTool, createToolServer, defineTool } from "../../src/tools/index.js";
import { countContacts } from "../tools/fixture-tools.js";

export const TOKEN = "tok-http-0123456789abcdef";

/** A raw 2025-era `initialize`, the first POST any legacy client sends. */
export const INITIALIZE = {
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } },
};
export const MCP_HEADERS = {
  accept: "application/json, text/event-stream",
  "content-type": "application/json",
};

/** A read tool that answers when the test says so, and says when it started. */
export function gatedTool() {
  let release: (value: { ok: boolean }) => void = () => undefined;
  let markStarted: () => void = () => undefined;
  const started = new Promise<void>((resolve) => {
    markStarted = resolve;
  });
  const gate = new Promise<{ ok: boolean }>((resolve) => {
    release = resolve;
  });
  const tool = defineTool({
    name: "gated_read",
    title: "Gated read",
    description: "Answers when released.",
    kind: "read",
    input: z.object({}),
    output: z.object({ ok: z.boolean() }),
    handler: () => {
      markStarted();
      return gate;
    },
  }) as AnyTool;
  return { tool, started, release: () => release({ ok: true }) };
}

type Overrides = Partial<Omit<HttpServeOptions, "createServer" | "logger" | "metrics">> & {
  tools?: AnyTool[];
};

/** `serveHttp` on 127.0.0.1 and a free port, over a test runtime whose calls feed the metrics. */
export async function startHttp(overrides: Overrides = {}) {
  const test = createTestRuntime({ server: "test", secrets: [TOKEN] });
  const metrics = createServerMetrics({ server: "test", env: "sandbox" });
  test.runtime.onToolCall = metrics.observeToolCall;
  const { tools = [countContacts as AnyTool], ...rest } = overrides;
  const serving = await serveHttp({
    host: "127.0.0.1",
    port: 0,
    tokens: () => [TOKEN],
    createServer: () => createToolServer({ name: "test", version: "0.0.0", tools, runtime: test.runtime }),
    logger: test.runtime.logger,
    metrics,
    ...rest,
  });
  const origin = `http://127.0.0.1:${serving.port}`;
  return { serving, origin, metrics, ...test };
}

/** A real v2 client over Streamable HTTP with the bearer token. */
export async function connectHttpClient(url: string, token = TOKEN): Promise<Client> {
  const client = new Client({ name: "http-test", version: "1.0.0" });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(url), { authProvider: { token: async () => token } }),
  );
  return client;
}

/** The value of a Prometheus sample whose labels include `labels`, or undefined. */
export function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split("\n")) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries(
      [...(match[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]),
    );
    if (Object.entries(labels).every(([k, v]) => found[k] === v)) return Number(match[3]);
  }
  return undefined;
}
