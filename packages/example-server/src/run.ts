import { runMain } from "@gtm-mcp/tool-kit/server";
import { createMemoryBook } from "./book.js";
import { exampleVars } from "./config.js";
import { createServer, VERSION } from "./server.js";

await runMain({
  name: "example",
  binary: "gtm-mcp-example",
  version: VERSION,
  description: "example MCP server of the gtm-mcp tool-kit (in-memory account book)",
  vars: exampleVars,
  hasWriteTools: true,
  async start({ runtime }) {
    const book = createMemoryBook();
    return { createServer: () => createServer({ book, runtime }) };
  },
});
