// The quick-start demo: spawns the example server over stdio, as Claude Code would, and
// drives it with a real MCP client, printing what an agent would see. It is a command-line
// client, not a server, so it prints to stdout.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { spawnStdioServer } from "@gtm-mcp/tool-kit/testing";

const serverEntry = join(dirname(fileURLToPath(import.meta.url)), "..", "main.js");
const stateDir = mkdtempSync(join(tmpdir(), "gtm-mcp-demo-"));
const show = (label: string, result: { content?: unknown; isError?: boolean }) => {
  const text = (result.content as Array<{ text?: string }> | undefined)?.[0]?.text ?? "";
  console.log(`\n${label}${result.isError ? "  (isError)" : ""}\n  ${text}`);
};

const server = await spawnStdioServer({
  entry: serverEntry,
  clientName: "gtm-mcp-demo",
  env: {
    GTM_ENV: "sandbox",
    GTM_STATE_URL: `sqlite:${join(stateDir, "state.sqlite")}`,
    GTM_LOG_LEVEL: "info",
  },
});
const { client } = server;
try {
  const { tools } = await client.listTools();
  console.log("Tools offered by gtm-mcp-example:");
  for (const tool of tools) console.log(`  ${tool.name.padEnd(16)} ${JSON.stringify(tool.annotations)}`);
  show(
    "lookup_account 1001",
    await client.callTool({ name: "lookup_account", arguments: { account_id: "1001" } }),
  );
  show(
    "lookup_account 9999",
    await client.callTool({ name: "lookup_account", arguments: { account_id: "9999" } }),
  );
  show(
    "lookup_account with a bad id",
    await client.callTool({ name: "lookup_account", arguments: { account_id: "abc" } }),
  );
  const tag = { account_id: "1002", tag: "churn-risk", occurrence: "2026-11-21" };
  show("tag_account (first call acts)", await client.callTool({ name: "tag_account", arguments: tag }));
  show(
    "tag_account again (replayed, does not act)",
    await client.callTool({ name: "tag_account", arguments: tag }),
  );
  show(
    "tag_account same occurrence, other tag",
    await client.callTool({ name: "tag_account", arguments: { ...tag, tag: "vip" } }),
  );
} finally {
  await client.close();
  console.log("\nThe server's call log (one JSON line per call on its stderr), abridged:");
  for (const line of server.logs().filter((l) => l.event === "tool_call")) {
    const { tool, outcome, replayed, durationMs, idempotencyKey } = line as Record<
      string,
      string | undefined
    >;
    if (tool === undefined) continue;
    console.log(
      `  ${tool.padEnd(15)} outcome=${outcome} replayed=${replayed} ${durationMs}ms${idempotencyKey ? ` key=${idempotencyKey.slice(0, 24)}…` : ""}`,
    );
  }
  rmSync(stateDir, { recursive: true, force: true });
}
