import { Client, type ClientOptions } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import type { ElicitRequestFormParams, ElicitResult } from "@modelcontextprotocol/server";
import type { ErrorEnvelope } from "../errors/envelope.js";

/** What `client.callTool` resolves with. */
export type CallToolResult = Awaited<ReturnType<Client["callTool"]>>;

/** The envelope of a failed call, as {@link readErrorEnvelope} reads it. */
export type ToolCallError = ErrorEnvelope["error"];

/** One tool call through {@link SpawnedStdioServer.call}: `data` on success, `error` on failure. */
export interface ToolCallOutcome<T = Record<string, unknown>> {
  result: CallToolResult;
  /** `structuredContent` of a successful call. */
  data?: T;
  /** The error envelope of a failed call (`isError: true`). */
  error?: ToolCallError;
}

/** Options of {@link spawnStdioServer}. */
export interface SpawnStdioServerOptions {
  /** The server's entry (`dist/main.js`). */
  entry: string;
  /**
   * The child's environment. Nothing else of the parent's leaks in except `PATH` (added when
   * absent), so a test states every variable the server reads.
   */
  env: Record<string, string>;
  /** Arguments after the entry. */
  args?: string[];
  /** Node flags before the entry (`--import <hooks>`). */
  nodeArgs?: string[];
  /** The MCP client's name (`clientInfo.name`); default `gtm-mcp-test`. */
  clientName?: string;
  cwd?: string;
  /**
   * The person answering elicitation requests (form mode): given, the client declares
   * `elicitation: { form: {} }` and answers each request with what this returns.
   */
  elicit?: (params: ElicitRequestFormParams) => ElicitResult | Promise<ElicitResult>;
  /** Client options (a pinned protocol era, say), merged under the elicitation capability. */
  clientOptions?: ClientOptions;
}

/** A server process spawned over stdio, with a real MCP client connected to it. */
export interface SpawnedStdioServer {
  /** The connected MCP client (v2 SDK). */
  readonly client: Client;
  /** The server process's id (to signal it: `process.kill(pid, "SIGKILL")`). */
  readonly pid: number;
  /** Everything the server wrote to stderr so far. */
  stderr(): string;
  /** The JSON log lines on stderr so far (lines that are not JSON are left out). */
  logs(): Array<Record<string, unknown>>;
  /** Calls a tool and splits the result into `data` or `error`. */
  call<T = Record<string, unknown>>(
    name: string,
    args?: Record<string, unknown>,
  ): Promise<ToolCallOutcome<T>>;
  /** Resolves once the process is gone (it exited, was killed, or the client closed). */
  readonly closed: Promise<void>;
  /** Sends `signal` to the process and resolves once it is gone. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Closes the client; the SDK ends stdin, then sends SIGTERM, then SIGKILL. */
  close(): Promise<void>;
}

/**
 * The error envelope of a failed tool result (`isError: true`, the envelope as JSON text, as
 * the tool-kit answers), or `undefined` for a success. Throws when a failed result does not
 * carry an envelope: a test must notice a server that answers errors another way.
 */
export function readErrorEnvelope(result: CallToolResult): ToolCallError | undefined {
  if (!result.isError) return undefined;
  const first = (result.content as Array<{ type?: string; text?: string }> | undefined)?.[0];
  const parsed = first?.text === undefined ? undefined : (JSON.parse(first.text) as Partial<ErrorEnvelope>);
  if (parsed?.error === undefined || typeof parsed.error.code !== "string")
    throw new Error(`the failed result carries no error envelope: ${JSON.stringify(result.content)}`);
  return parsed.error;
}

/**
 * Spawns `node [nodeArgs] <entry> [args]` and connects a real MCP client over its stdio, as
 * Claude Code would. Rejects (with the server's stderr in the message) when the server exits
 * before answering `initialize`, e.g. a refusal to start.
 */
export async function spawnStdioServer(options: SpawnStdioServerOptions): Promise<SpawnedStdioServer> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [...(options.nodeArgs ?? []), options.entry, ...(options.args ?? [])],
    env: { PATH: process.env.PATH ?? "", ...options.env },
    stderr: "pipe",
    ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
  });
  let stderr = "";
  transport.stderr?.on("data", (chunk) => {
    stderr += chunk;
  });
  const elicit = options.elicit;
  const client = new Client(
    { name: options.clientName ?? "gtm-mcp-test", version: "1.0.0" },
    {
      ...options.clientOptions,
      ...(elicit
        ? { capabilities: { ...options.clientOptions?.capabilities, elicitation: { form: {} } } }
        : {}),
    },
  );
  if (elicit) {
    client.setRequestHandler("elicitation/create", async (request) =>
      elicit(request.params as ElicitRequestFormParams),
    );
  }
  let markClosed: () => void = () => {};
  const closed = new Promise<void>((resolve) => {
    markClosed = resolve;
  });
  client.onclose = () => markClosed();
  try {
    await client.connect(transport);
  } catch (err) {
    await client.close().catch(() => {});
    // The last lines arrive with the exit; give the pipe a moment to drain.
    await new Promise((resolve) => setTimeout(resolve, 50));
    throw new Error(
      `the server did not start over stdio (${(err as Error).message}): ${stderr.trim() || "(no stderr)"}`,
    );
  }
  const pid = transport.pid;
  if (pid === null) throw new Error("the server process has no pid");
  const logs = () =>
    stderr
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .flatMap((line) => {
        try {
          return [JSON.parse(line) as Record<string, unknown>];
        } catch {
          return [];
        }
      });
  return {
    client,
    pid,
    stderr: () => stderr,
    logs,
    async call<T>(name: string, args: Record<string, unknown> = {}) {
      const result = await client.callTool({ name, arguments: args });
      const error = readErrorEnvelope(result);
      if (error !== undefined) return { result, error };
      return { result, data: result.structuredContent as T };
    },
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
