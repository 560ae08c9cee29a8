import {
  isInputRequiredResult,
  ProtocolError,
  ProtocolErrorCode,
  Server,
  type Transport,
} from "@modelcontextprotocol/server";
import { linkedSignal } from "../core/linked-signal.js";
import { StartupError } from "../core/startup-error.js";
import { bounded } from "../errors/bounded.js";
import { type CompiledTool, compileTool } from "./compile-tool.js";
import type { AnyTool } from "./define-tool.js";
import { elicitationChannel } from "./elicitation.js";
import { progressReporter } from "./progress.js";
import { runToolCall } from "./run-tool-call.js";
import type { ToolRuntime } from "./runtime.js";
import { shutdownResult } from "./shutdown-result.js";

/** Longest unknown tool name echoed whole in the error (a tool name is at most 64 characters). */
const TOOL_NAME_ECHO_MAX = 128;

/** Options of {@link createToolServer}. */
export interface ToolServerOptions {
  name: string;
  version: string;
  title?: string;
  /** Guidance for the agent, sent at initialization. */
  instructions?: string;
  tools: AnyTool[];
  runtime: ToolRuntime;
}

/**
 * An MCP server whose `tools/list` and `tools/call` go through the tool-kit pipeline.
 * Write tools are not listed while writes are disabled. Built on the SDK's low-level
 * `Server` so that argument validation yields our `INVALID_INPUT` envelope with a field
 * path, not the SDK's own text. Does no I/O.
 *
 * @throws StartupError when a write tool counts against a cap the runtime has no limit for
 *   (the bootstrap prints it as one line naming the tool and the cap, and exits 2), rather
 *   than failing every call of that tool with `INTERNAL`.
 */
export function createToolServer(options: ToolServerOptions): Server {
  const { runtime } = options;
  const compiled = new Map<string, CompiledTool>();
  for (const tool of options.tools) {
    if (compiled.has(tool.name)) throw new Error(`Tool "${tool.name}" is declared twice`);
    assertCapsConfigured(tool, runtime);
    compiled.set(tool.name, compileTool(tool));
  }
  const server = new Server(
    { name: options.name, version: options.version, ...(options.title ? { title: options.title } : {}) },
    {
      capabilities: { tools: { listChanged: false } },
      ...(options.instructions ? { instructions: options.instructions } : {}),
    },
  );
  const listing = () => ({
    tools: [...compiled.values()]
      .filter((tool) => tool.definition.kind === "read" || runtime.writesEnabled)
      .map((tool) => tool.listing),
  });
  server.setRequestHandler("tools/list", (request) => {
    // The list is never paginated, so no cursor was ever handed out: any cursor is invalid
    // (2025-11-25 pagination), not silently read as "from the start".
    if (request.params?.cursor !== undefined)
      throw new ProtocolError(ProtocolErrorCode.InvalidParams, "Invalid cursor: tools/list is not paginated");
    return listing();
  });
  const protoCalls = watchProtoArguments(server);
  server.setRequestHandler("tools/call", async (request, ctx) => {
    const tool = compiled.get(request.params.name);
    // The name is the caller's: scrubbed, then bounded (in that order), as every echoed name is.
    if (!tool)
      throw new ProtocolError(
        ProtocolErrorCode.InvalidParams,
        `Unknown tool: ${bounded(runtime.scrubber.text(request.params.name), TOOL_NAME_ECHO_MAX)}`,
      );
    let args: unknown = request.params.arguments;
    if (protoCalls.delete(ctx.mcpReq.id)) {
      // Put the key back (as an own key) so the pipeline refuses and logs it like any unknown one.
      args = { ...(args as object) };
      Object.defineProperty(args, "__proto__", { value: null, enumerable: true });
    }
    const call = async (shutdown?: AbortSignal) => {
      const link = shutdown ? linkedSignal([ctx.mcpReq.signal, shutdown]) : undefined;
      try {
        return await runToolCall(tool, args, runtime, {
          signal: link?.signal ?? ctx.mcpReq.signal,
          progress: progressReporter({
            token: ctx.mcpReq._meta?.progressToken,
            notify: (notification) => ctx.mcpReq.notify(notification),
            scrub: runtime.scrubber.text,
          }),
          elicitation: elicitationChannel(ctx, server.getClientCapabilities()),
        });
      } finally {
        // The shutdown signal lives as long as the process: its listener goes with the call.
        link?.release();
      }
    };
    // Under the tracker, shutdown can refuse the call, abort it, or answer it when it will not end.
    const tracked = () =>
      runtime.tracker
        ? runtime.tracker.run(call, (why) => shutdownResult(tool.definition.kind, why))
        : call();
    // Traced: the call runs in its span's context, so its upstream requests nest under it.
    const result = runtime.tracer
      ? await runtime.tracer
          .startCall(tool.definition.name, traceContextOf(request.params._meta, ctx.http?.req?.headers))
          .run(tracked)
      : await tracked();
    // A handler asking a person: the SDK serves the question (2026 era: the client answers
    // and calls again; 2025 era: its shim asks over the connection and calls this again).
    if (isInputRequiredResult(result)) return result;
    return server.projectCallToolResult(result, result.isError ? undefined : tool.outputJson);
  });
  return server;
}

/**
 * Where the caller's W3C trace context is: `params._meta` (the MCP way, any transport), else
 * the HTTP request's `traceparent`/`tracestate` headers (a Streamable HTTP client or a proxy
 * that propagates the standard headers).
 */
function traceContextOf(meta: unknown, headers: Headers | undefined): unknown {
  const fromMeta = (meta as { traceparent?: unknown } | undefined)?.traceparent;
  const traceparent = headers?.get("traceparent");
  if (fromMeta !== undefined || !traceparent) return meta;
  const tracestate = headers?.get("tracestate");
  return { ...(meta as object | undefined), traceparent, ...(tracestate ? { tracestate } : {}) };
}

function assertCapsConfigured(tool: AnyTool, runtime: ToolRuntime): void {
  if (tool.kind !== "write") return;
  for (const cap of tool.caps ?? []) {
    if (runtime.caps[cap] === undefined)
      throw new StartupError(
        `tool "${tool.name}" counts against cap "${cap}", but no limit is configured for "${cap}" (the server's caps() must give one)`,
      );
  }
}

/**
 * The ids of `tools/call` requests whose arguments carried a `__proto__` key. The SDK's
 * parsing of the request drops that key silently (zod skips it when it copies a record), so
 * the pipeline would never see it: the raw message is looked at as it arrives.
 */
function watchProtoArguments(server: Server): Set<string | number> {
  const ids = new Set<string | number>();
  const connect = server.connect.bind(server);
  server.connect = async (transport: Transport) => {
    await connect(transport);
    const deliver = transport.onmessage;
    if (deliver === undefined) return;
    transport.onmessage = (message, extra) => {
      const request = message as { id?: string | number; method?: string; params?: { arguments?: unknown } };
      const args = request.params?.arguments;
      if (
        request.method === "tools/call" &&
        request.id !== undefined &&
        args !== null &&
        typeof args === "object" &&
        Object.hasOwn(args, "__proto__")
      )
        ids.add(request.id);
      deliver.call(transport, message, extra);
    };
  };
  return ids;
}
