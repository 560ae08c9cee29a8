import { packageVersion } from "@gtm-mcp/tool-kit/config";
import { createToolServer, type ToolRuntime } from "@gtm-mcp/tool-kit/tools";
import type { Server } from "@modelcontextprotocol/server";
import type { AccountBook } from "./book.js";
import { exampleTools } from "./tools/index.js";

export { type Account, type AccountBook, createMemoryBook } from "./book.js";

/** The package's version, read from its package.json (never written twice). */
export const VERSION = packageVersion(import.meta.url);

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
