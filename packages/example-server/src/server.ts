import { createToolServer, type ToolRuntime } from "@gtm-mcp/tool-kit/tools";
import type { Server } from "@modelcontextprotocol/server";
import type { AccountBook } from "./book.js";
import { exampleTools } from "./tools/index.js";

export { type Account, type AccountBook, createMemoryBook } from "./book.js";

/** The example server's package version. */
export const VERSION = "0.1.0";

/** What the example server needs. */
export interface ExampleDeps {
  book: AccountBook;
  runtime: ToolRuntime;
}

/** Builds the example MCP server. No I/O. */
export function createServer(deps: ExampleDeps): Server {
  return createToolServer({
    name: "gtm-mcp-example",
    version: VERSION,
    instructions: "An example server of the gtm-mcp tool-kit over an in-memory account book.",
    tools: exampleTools(deps.book),
    runtime: deps.runtime,
  });
}
