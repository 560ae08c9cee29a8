import { Client } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";

// A thin stand-in for the tool-kit's `spawnStdioServer` (same options and surface) until it is
// on main; then this file goes and its callers import `@gtm-mcp/tool-kit/testing`.

/** Options of {@link spawnStdioServer}. */
export interface SpawnStdioServerOptions {
  /** The server's entry (`dist/main.js`). */
  entry: string;
  /** The child's whole environment (`PATH` added when absent). */
  env: Record<string, string>;
  clientName?: string;
}

/** A server process over stdio with a real MCP client connected to it. */
export interface SpawnedStdioServer {
  readonly client: Client;
  readonly pid: number;
  /** The last part of what the server wrote to stderr (for error messages). */
  stderr(): string;
  readonly closed: Promise<void>;
  kill(signal?: NodeJS.Signals): Promise<void>;
  close(): Promise<void>;
}

const STDERR_TAIL = 16_384;

/**
 * Spawns `node <entry>` and connects a real MCP client over its stdio, as Claude Code would.
 * Rejects with the server's stderr when it exits before answering `initialize`.
 */
export async function spawnStdioServer(options: SpawnStdioServerOptions): Promise<SpawnedStdioServer> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [options.entry],
    env: { PATH: process.env.PATH ?? "", ...options.env },
    stderr: "pipe",
  });
  let stderr = "";
  transport.stderr?.on("data", (chunk) => {
    // Keep a tail only: a long run's call log would otherwise grow without bound.
    stderr = (stderr + chunk).slice(-STDERR_TAIL);
  });
  const client = new Client({ name: options.clientName ?? "gtm-mcp-book-run", version: "0.1.0" });
  let markClosed: () => void = () => {};
  const closed = new Promise<void>((resolve) => {
    markClosed = resolve;
  });
  client.onclose = () => markClosed();
  try {
    await client.connect(transport);
  } catch (err) {
    await client.close().catch(() => {});
    await new Promise((resolve) => setTimeout(resolve, 50));
    throw new Error(
      `${options.entry} did not start over stdio (${(err as Error).message}): ${stderr.trim() || "(no stderr)"}`,
    );
  }
  const pid = transport.pid;
  if (pid === null) throw new Error("the server process has no pid");
  return {
    client,
    pid,
    stderr: () => stderr,
    closed,
    async kill(signal = "SIGTERM") {
      try {
        process.kill(pid, signal);
      } catch {
        // already gone
      }
      await closed;
    },
    close: () => client.close(),
  };
}
