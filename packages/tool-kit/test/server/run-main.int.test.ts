import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { waitFor } from "../../src/testing/index.js";

const here = dirname(fileURLToPath(import.meta.url));
const hooks = join(here, "..", "idempotency", "fixtures", "source-hooks.mjs");
const slowServer = join(here, "fixtures", "slow-server.mjs");

function startServer(signalAfterCall: NodeJS.Signals) {
  const child = spawn(process.execPath, ["--import", hooks, slowServer], {
    env: { PATH: process.env.PATH ?? "", SLOW_MS: "800", GTM_LOG_LEVEL: "info" },
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
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  send({
    jsonrpc: "2.0",
    id: 1,
    method: "initialize",
    params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } },
  });
  send({ jsonrpc: "2.0", method: "notifications/initialized" });
  return {
    exited,
    output: () => ({ stdout, stderr }),
    async callThenSignal() {
      await waitFor(() => stdout.includes('"id":1'));
      send({ jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "slow_read", arguments: {} } });
      await waitFor(() => stderr.includes('"msg":"slow_read started"'));
      child.kill(signalAfterCall);
    },
  };
}

describe("runMain shutdown", () => {
  it.each(["SIGTERM", "SIGINT"] as const)(
    "lets a call in flight finish on %s, then exits 0",
    async (signal) => {
      const server = startServer(signal);
      await server.callThenSignal();
      expect(await server.exited).toBe(0);
      const { stdout, stderr } = server.output();
      const answers = stdout
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l));
      expect(answers.find((a) => a.id === 2)?.result?.structuredContent).toEqual({ waitedMs: 800 });
      const logs = stderr
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l));
      expect(logs.find((l) => l.msg === "shutting down")).toMatchObject({ reason: signal, inflight: 1 });
      // The call finished after the signal, before the exit.
      const order = logs.map((l) => l.msg);
      expect(order.indexOf("tool call")).toBeGreaterThan(order.indexOf("shutting down"));
    },
  );
});
