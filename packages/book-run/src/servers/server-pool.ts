import { type SpawnedStdioServer, spawnStdioServer } from "@gtm-mcp/tool-kit/testing";
import type { ServerName } from "../policy/index.js";
import type { CallOutcome, ToolCaller } from "../run/call-outcome.js";
import { CONNECTION_LOST } from "../run/call-outcome.js";
import { processCpuMs } from "./process-cpu.js";

/** How to start one server. */
export interface ServerSpec {
  name: ServerName;
  entry: string;
  env: Record<string, string>;
  /** Node flags before the entry (`--cpu-prof …`). */
  nodeArgs?: string[];
}

/** Longest one tool call may take before the client gives up on it (the server's own deadlines are far shorter). */
const CALL_TIMEOUT_MS = 120_000;

type Slot = { spec: ServerSpec; server: Promise<SpawnedStdioServer>; restarts: number };

/**
 * The four servers, each a child process over stdio with its own MCP client, as Claude Code
 * runs them. A call to a server being restarted waits for the new process; a call whose
 * process died under it is answered {@link CONNECTION_LOST} (it may have acted), never thrown.
 */
export class ServerPool implements ToolCaller {
  readonly #slots = new Map<string, Slot>();

  private constructor() {}

  /** Spawns every server and waits until each has answered `initialize`. */
  static async start(specs: ServerSpec[]): Promise<ServerPool> {
    const pool = new ServerPool();
    for (const spec of specs) pool.#slots.set(spec.name, { spec, server: spawn(spec), restarts: 0 });
    try {
      await Promise.all([...pool.#slots.values()].map((s) => s.server));
    } catch (error) {
      await pool.close();
      throw error;
    }
    return pool;
  }

  /** Tools each server lists. */
  async listTools(server: ServerName): Promise<string[]> {
    const s = await this.#slot(server).server;
    return (await s.client.listTools()).tools.map((t: { name: string }) => t.name);
  }

  async call(server: string, tool: string, args: Record<string, unknown>): Promise<CallOutcome> {
    const slot = this.#slot(server);
    const current = slot.server;
    let spawned: SpawnedStdioServer;
    try {
      spawned = await current;
    } catch (error) {
      // A restart that failed (a start slower than its bound on a loaded machine) is tried
      // again here, once for all the callers that met it; the call itself is retried.
      if (slot.server === current) slot.server = quiet(spawn(slot.spec));
      return lost(`the ${server} server did not restart: ${(error as Error).message}`);
    }
    try {
      const result = await spawned.client.callTool(
        { name: tool, arguments: args },
        { timeout: CALL_TIMEOUT_MS },
      );
      return readResult(result);
    } catch (error) {
      return lost(`the ${server} server's connection was lost: ${(error as Error).message}`);
    }
  }

  /** SIGKILLs the server's process (no drain, no goodbye) and spawns a new one in its place. */
  async kill(server: ServerName): Promise<void> {
    const slot = this.#slot(server);
    const old = await slot.server;
    slot.restarts++;
    const next = quiet(old.kill("SIGKILL").then(() => spawn(slot.spec)));
    slot.server = next;
    // A failed restart is not the run's failure: the next call to this server spawns again.
    await next.catch(() => undefined);
  }

  /** CPU time (ms) of each server's current process so far (Linux `/proc`; null elsewhere or while restarting). */
  async cpuMs(): Promise<Record<string, number | null>> {
    const entries = await Promise.all(
      [...this.#slots].map(async ([name, s]) => {
        const server = await s.server.catch(() => undefined);
        return [name, server === undefined ? null : processCpuMs(server.pid)] as const;
      }),
    );
    return Object.fromEntries(entries);
  }

  /** Restarts so far per server. */
  restarts(): Record<string, number> {
    return Object.fromEntries([...this.#slots].map(([name, s]) => [name, s.restarts]));
  }

  /** Closes every client (the SDK ends stdin, then signals the process). */
  async close(): Promise<void> {
    await Promise.all(
      [...this.#slots.values()].map(async (s) => {
        const server = await s.server.catch(() => undefined);
        await server?.close().catch(() => {});
      }),
    );
  }

  #slot(server: string): Slot {
    const slot = this.#slots.get(server);
    if (slot === undefined) throw new Error(`no ${server} server in this run`);
    return slot;
  }
}

/** Spawns one server with the tool-kit's helper (a real MCP client over its stdio). */
function spawn(spec: ServerSpec): Promise<SpawnedStdioServer> {
  return spawnStdioServer({
    entry: spec.entry,
    env: spec.env,
    clientName: "gtm-mcp-book-run",
    ...(spec.nodeArgs ? { nodeArgs: spec.nodeArgs } : {}),
  });
}

function lost(message: string): CallOutcome {
  return { ok: false, error: { code: CONNECTION_LOST, message, sideEffect: "unknown" } };
}

/** A tool result as the run reads it: the error envelope of `isError`, else `structuredContent`. */
export function readResult(result: {
  isError?: unknown;
  content?: unknown;
  structuredContent?: unknown;
}): CallOutcome {
  if (result.isError === true) {
    const text = (result.content as Array<{ text?: string }> | undefined)?.[0]?.text ?? "";
    try {
      const envelope = JSON.parse(text) as { error?: Record<string, unknown> };
      const e = envelope.error ?? {};
      if (typeof e.code === "string")
        return {
          ok: false,
          error: {
            code: e.code,
            message: String(e.message ?? ""),
            ...(typeof e.retryAfterMs === "number" ? { retryAfterMs: e.retryAfterMs } : {}),
            ...(typeof e.sideEffect === "string" ? { sideEffect: e.sideEffect } : {}),
            ...(typeof e.reviewId === "string" ? { reviewId: e.reviewId } : {}),
            ...(e.replayed === true ? { replayed: true } : {}),
          },
        };
    } catch {
      // falls through: an error without an envelope
    }
    return { ok: false, error: { code: "INTERNAL", message: "a failed result without an error envelope" } };
  }
  const structured = (result.structuredContent ?? {}) as Record<string, unknown>;
  return { ok: true, structured, replayed: structured.replayed === true };
}

/** The same promise, with its rejection marked handled (a caller awaits it later, or never). */
function quiet<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}
