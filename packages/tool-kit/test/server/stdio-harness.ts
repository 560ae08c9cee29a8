import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { waitFor } from "../../src/testing/index.js";

const here = dirname(fileURLToPath(import.meta.url));
export const SOURCE_HOOKS = join(here, "..", "idempotency", "fixtures", "source-hooks.mjs");
export const SLOW_SERVER = join(here, "fixtures", "slow-server.mjs");

/** The first request of a 2025-era client. */
export const INITIALIZE_LINE = {
  jsonrpc: "2.0",
  id: 0,
  method: "initialize",
  params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } },
};

/** One JSON-RPC line the server wrote. */
export interface RawAnswer {
  id?: unknown;
  // biome-ignore lint/suspicious/noExplicitAny: tests read whatever the server answered.
  result?: any;
  error?: { code: number; message: string; data?: unknown };
}

/**
 * A fixture server over raw stdio: lines in, JSON answers out, stderr kept whole (so a test
 * can check every line of it). `initialize` is sent and answered before this resolves.
 */
export async function startRawStdio(env: Record<string, string> = {}, entry = SLOW_SERVER) {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, ["--import", SOURCE_HOOKS, entry], {
    env: { PATH: process.env.PATH ?? "", GTM_LOG_LEVEL: "info", ...env },
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
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const sendLine = (line: string) => child.stdin.write(`${line}\n`);
  // Only whole lines: a long answer arrives in several chunks.
  const answers = () =>
    stdout
      .slice(0, stdout.lastIndexOf("\n") + 1)
      .split("\n")
      .filter((l) => l.trim() !== "")
      .map((l) => JSON.parse(l) as RawAnswer);
  sendLine(JSON.stringify(INITIALIZE_LINE));
  await waitFor(() => answers().some((a) => a.id === 0), 15_000, `initialize (stderr: ${stderr})`);
  sendLine(JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }));
  return {
    child,
    exited,
    sendLine,
    send: (message: unknown) => sendLine(JSON.stringify(message)),
    answers,
    stderr: () => stderr,
    stdout: () => stdout,
    /** Closes stdin (the client leaving) and resolves with the exit code. */
    async end() {
      child.stdin.end();
      return exited;
    },
  };
}
