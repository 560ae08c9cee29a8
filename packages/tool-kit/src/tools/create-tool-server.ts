import { ProtocolError, ProtocolErrorCode, Server } from "@modelcontextprotocol/server";
import { type CompiledTool, compileTool } from "./compile-tool.js";
import type { AnyTool } from "./define-tool.js";
import { progressReporter } from "./progress.js";
import { runToolCall } from "./run-tool-call.js";
import type { ToolRuntime } from "./runtime.js";

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
 */
export function createToolServer(options: ToolServerOptions): Server {
  const compiled = new Map<string, CompiledTool>();
  for (const tool of options.tools) {
    if (compiled.has(tool.name)) throw new Error(`Tool "${tool.name}" is declared twice`);
    compiled.set(tool.name, compileTool(tool));
  }
  const { runtime } = options;
  const server = new Server(
    { name: options.name, version: options.version, ...(options.title ? { title: options.title } : {}) },
    {
      capabilities: { tools: { listChanged: false } },
      ...(options.instructions ? { instructions: options.instructions } : {}),
    },
  );
  server.setRequestHandler("tools/list", () => ({
    tools: [...compiled.values()]
      .filter((tool) => tool.definition.kind === "read" || runtime.writesEnabled)
      .map((tool) => tool.listing),
  }));
  server.setRequestHandler("tools/call", async (request, ctx) => {
    const tool = compiled.get(request.params.name);
    if (!tool)
      throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Unknown tool: ${request.params.name}`);
    const done = runtime.tracker?.begin();
    try {
      const result = await runToolCall(tool, request.params.arguments, runtime, {
        signal: ctx.mcpReq.signal,
        progress: progressReporter({
          token: ctx.mcpReq._meta?.progressToken,
          notify: (notification) => ctx.mcpReq.notify(notification),
        }),
      });
      return server.projectCallToolResult(result, result.isError ? undefined : tool.outputJson);
    } finally {
      done?.();
    }
  });
  return server;
}
