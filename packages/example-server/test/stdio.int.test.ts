import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { spawnStdioServer, waitFor } from "@gtm-mcp/tool-kit/testing";
import { Client as ClientV1 } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport as StdioV1 } from "@modelcontextprotocol/sdk/client/stdio.js";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";

const entry = join(dirname(fileURLToPath(import.meta.url)), "..", "dist", "main.js");
let dir: string;

beforeAll(() => {
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`pnpm build\` first (pnpm test does)`);
});
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "example-stdio-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const serverEnv = () => ({
  PATH: process.env.PATH ?? "",
  GTM_STATE_URL: `sqlite:${join(dir, "s.sqlite")}`,
  GTM_LOG_LEVEL: "warn",
});

describe("the built server over stdio", () => {
  it("serves a v1 client (@modelcontextprotocol/sdk): list, call, error envelope", async () => {
    const client = new ClientV1({ name: "v1-client", version: "1.0.0" });
    await client.connect(
      new StdioV1({ command: process.execPath, args: [entry], env: serverEnv(), stderr: "pipe" }),
    );
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name).sort()).toEqual(["lookup_account", "tag_account"]);
      const ok = await client.callTool({ name: "lookup_account", arguments: { account_id: "1003" } });
      expect(ok.structuredContent).toMatchObject({ account: { id: "1003", name: "Initech" } });
      const write = await client.callTool({
        name: "tag_account",
        arguments: { account_id: "1003", tag: "vip", occurrence: "a" },
      });
      expect(write.structuredContent).toMatchObject({ tags: ["prospect", "vip"], replayed: false });
      const bad = await client.callTool({ name: "lookup_account", arguments: {} });
      expect(bad.isError).toBe(true);
      expect(JSON.parse((bad.content as Array<{ text: string }>)[0]!.text).error).toMatchObject({
        code: "INVALID_INPUT",
        field: "account_id",
      });
    } finally {
      await client.close();
    }
  });

  it("serves a v2 client (@modelcontextprotocol/client)", async () => {
    const server = await spawnStdioServer({ entry, env: serverEnv() });
    try {
      const result = await server.call("lookup_account", { account_id: "1001" });
      expect(result.data).toMatchObject({ account: { name: "Acme Corp" } });
    } finally {
      await server.close();
    }
  });

  it("writes nothing but protocol messages to stdout, logs to stderr, and exits 0 on SIGTERM", async () => {
    const child = spawn(process.execPath, [entry], {
      env: { ...serverEnv(), GTM_LOG_LEVEL: "info" },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    const send = (message: unknown) => child.stdin.write(`${JSON.stringify(message)}\n`);
    send({
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } },
    });
    send({ jsonrpc: "2.0", method: "notifications/initialized" });
    send({
      jsonrpc: "2.0",
      id: 2,
      method: "tools/call",
      params: { name: "lookup_account", arguments: { account_id: "1001" } },
    });
    await waitFor(() => stdout.includes('"id":2'));
    child.kill("SIGTERM");
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(code).toBe(0);
    const lines = stdout.trim().split("\n");
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const line of lines) expect(JSON.parse(line).jsonrpc).toBe("2.0");
    const logLines = stderr
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    const call = logLines.find((l) => l.event === "tool_call");
    expect(call).toMatchObject({
      server: "example",
      env: "sandbox",
      tool: "lookup_account",
      outcome: "ok",
      retryable: false,
      replayed: false,
    });
    expect(typeof call.durationMs).toBe("number");
    expect(typeof call.runId).toBe("string");
    expect(logLines.some((l) => l.msg === "shutting down" && l.reason === "SIGTERM")).toBe(true);
  });
});
