// The baseline: the same two tools as the example server (lookup_account, tag_account) over
// the same in-memory book, served by a bare MCP SDK McpServer: no idempotency, caps, logging,
// scrubbing or output validation. `node bare-server.mjs` serves it over stdio; with `--hello`
// it serves one trivial tool (the start-up and memory baseline).
import { createMemoryBook } from "@gtm-mcp/example-server";
import { McpServer } from "@modelcontextprotocol/server";
import { StdioServerTransport } from "@modelcontextprotocol/server/stdio";
import { z } from "zod";

const account = z.object({ id: z.string(), name: z.string(), domain: z.string(), tags: z.array(z.string()) });

/** The bare SDK server with the example server's two tools. */
export function createBareServer(book = createMemoryBook()) {
  const server = new McpServer({ name: "bare", version: "0.0.0" });
  server.registerTool(
    "lookup_account",
    {
      description: "Returns one account by id",
      inputSchema: z.object({ account_id: z.string().regex(/^\d{1,12}$/) }),
      outputSchema: z.object({ account }),
    },
    async ({ account_id }) => {
      const found = await book.find(account_id);
      if (!found) return { isError: true, content: [{ type: "text", text: "not found" }] };
      const structuredContent = { account: found };
      return { structuredContent, content: [{ type: "text", text: JSON.stringify(structuredContent) }] };
    },
  );
  server.registerTool(
    "tag_account",
    {
      description: "Adds a tag to an account",
      inputSchema: z.object({
        account_id: z.string().regex(/^\d{1,12}$/),
        tag: z.string().min(1).max(40),
        occurrence: z.string().min(1).max(100),
      }),
      outputSchema: z.object({ account_id: z.string(), tags: z.array(z.string()) }),
    },
    async ({ account_id, tag }) => {
      const updated = await book.addTag(account_id, tag);
      const structuredContent = { account_id: updated.id, tags: updated.tags };
      return { structuredContent, content: [{ type: "text", text: JSON.stringify(structuredContent) }] };
    },
  );
  return server;
}

function createHelloServer() {
  const server = new McpServer({ name: "hello", version: "0.0.0" });
  server.registerTool("hello", { description: "Says hello", inputSchema: z.object({}) }, async () => ({
    content: [{ type: "text", text: "hello" }],
  }));
  return server;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const server = process.argv.includes("--hello") ? createHelloServer() : createBareServer();
  await server.connect(new StdioServerTransport());
}
