import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { sendHttpRequest, spawnHttpServer, waitFor } from "../../src/testing/index.js";
import { connectHttpClient, TOKEN } from "./http-harness.js";

const here = dirname(fileURLToPath(import.meta.url));
const hooks = join(here, "..", "idempotency", "fixtures", "source-hooks.mjs");
const slowServer = join(here, "fixtures", "slow-server.mjs");
const dir = mkdtempSync(join(tmpdir(), "gtm-run-http-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const start = (env: Record<string, string> = {}) =>
  spawnHttpServer({
    entry: slowServer,
    nodeArgs: ["--import", hooks],
    env: { PATH: process.env.PATH ?? "", SLOW_MS: "800", GTM_HTTP_TOKENS: TOKEN, ...env },
  });

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe("runMain --http", () => {
  it.each(["SIGTERM", "SIGINT"] as const)(
    "on %s stops accepting, answers the call in flight, then exits 0 with nothing on stdout",
    async (signal) => {
      const server = await start();
      const client = await connectHttpClient(server.url);
      const call = client.callTool({ name: "slow_read", arguments: {} });
      await waitFor(() => server.stderr().includes('"msg":"slow_read started"'));
      void server.stop(signal);
      await waitFor(() => server.stderr().includes('"msg":"shutting down"'));
      // A new connection during the drain hears that the server is stopping; it is not refused.
      const health = await sendHttpRequest(`${server.origin}/healthz`);
      expect(health.status).toBe(503);
      expect(health.json()).toEqual({ status: "stopping" });

      expect((await call).structuredContent).toEqual({ waitedMs: 800 });
      expect(await server.exited).toBe(0);
      expect(server.stdout()).toBe("");
      const logs = server.logs();
      expect(logs.find((l) => l.msg === "shutting down")).toMatchObject({ reason: signal, inflight: 1 });
      const order = logs.map((l) => l.msg);
      expect(order.indexOf("tool call")).toBeGreaterThan(order.indexOf("shutting down"));
      await client.close().catch(() => undefined);
    },
  );

  it("logs the bound port and the endpoint, and never a token", async () => {
    const server = await start();
    try {
      const line = server.logs().find((l) => l.port === server.port);
      expect(line).toMatchObject({
        transport: "http",
        url: `http://127.0.0.1:${server.port}/mcp`,
        level: "info",
      });
      expect(server.port).toBeGreaterThan(0);
      await sendHttpRequest(server.url, {
        method: "POST",
        headers: bearer("tok-guess-0123456789abcdef"),
        body: {},
      });
    } finally {
      expect(await server.stop()).toBe(0);
    }
    expect(server.stderr()).not.toContain(TOKEN);
    expect(server.logs().some((l) => l.msg === "HTTP request without a valid bearer token")).toBe(true);
  });

  it("re-reads GTM_HTTP_TOKENS_FILE on SIGHUP: the new token works, the old one no longer does", async () => {
    const file = join(dir, "tokens");
    const next = "tok-next-0123456789abcdef";
    writeFileSync(file, `${TOKEN}\n`);
    const server = await start({ GTM_HTTP_TOKENS: "", GTM_HTTP_TOKENS_FILE: file });
    try {
      const metrics = (token: string) =>
        sendHttpRequest(`${server.origin}/metrics`, { headers: bearer(token) });
      expect((await metrics(TOKEN)).status).toBe(200);
      expect((await metrics(next)).status).toBe(401);
      writeFileSync(file, `${next}\n`);
      server.child.kill("SIGHUP");
      await waitFor(() => server.stderr().includes('"msg":"secrets re-read"'));
      expect((await metrics(TOKEN)).status).toBe(401);
      expect((await metrics(next)).status).toBe(200);
    } finally {
      expect(await server.stop()).toBe(0);
    }
    expect(server.stderr()).not.toMatch(/tok-(next|http)-0123456789abcdef/);
  });

  it("refuses to start without tokens, with a short one, or beyond loopback without a Host list: exit 2, one line", () => {
    const run = (env: Record<string, string>) =>
      spawnSync(process.execPath, ["--import", hooks, slowServer, "--http"], {
        env: { PATH: process.env.PATH ?? "", GTM_HTTP_PORT: "0", ...env },
        encoding: "utf8",
        timeout: 15_000,
      });
    const cases: Array<[Record<string, string>, RegExp]> = [
      [
        {},
        /^gtm-mcp-slow: configuration error: GTM_HTTP_TOKENS: must be set .* refusing to serve HTTP without authentication$/,
      ],
      [{ GTM_HTTP_TOKENS: "short-token-1" }, /GTM_HTTP_TOKENS: token 1 is too short/],
      [
        { GTM_HTTP_TOKENS: TOKEN, GTM_HTTP_HOST: "0.0.0.0" },
        /GTM_HTTP_ALLOWED_HOSTS: must be set when GTM_HTTP_HOST/,
      ],
    ];
    for (const [env, message] of cases) {
      const result = run(env);
      expect(result.status).toBe(2);
      expect(result.stdout).toBe("");
      const lines = result.stderr.trim().split("\n");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(message);
      expect(result.stderr).not.toContain("short-token-1");
    }
  });

  it("refuses to start when the port is taken: exit 2, naming the address", async () => {
    const first = await start();
    try {
      const second = spawnSync(process.execPath, ["--import", hooks, slowServer, "--http"], {
        env: { PATH: process.env.PATH ?? "", GTM_HTTP_PORT: String(first.port), GTM_HTTP_TOKENS: TOKEN },
        encoding: "utf8",
        timeout: 15_000,
      });
      expect(second.status).toBe(2);
      expect(second.stderr.trim()).toMatch(
        new RegExp(
          `^gtm-mcp-slow: refusing to start: cannot listen on 127\\.0\\.0\\.1:${first.port} \\(EADDRINUSE\\)`,
        ),
      );
    } finally {
      await first.stop();
    }
  });
});
