import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";

/** A built server spawned over stdio with a real MCP client. */
export interface SpawnedServer {
  call(
    name: string,
    args: Record<string, unknown>,
  ): Promise<{ data?: Record<string, any>; error?: Record<string, any> }>;
  close(): Promise<void>;
}

/** `servers/<name>/dist/main.js` of this repository (built before the sandbox's tests by turbo). */
export function serverEntry(name: string): string {
  return fileURLToPath(new URL(`../../../../servers/${name}/dist/main.js`, import.meta.url));
}

/** Spawns a built server in the sandbox with writes on, its state in a fresh SQLite file. */
export async function spawnServer(name: string, env: Record<string, string>): Promise<SpawnedServer> {
  const stateDir = mkdtempSync(join(tmpdir(), `gtm-e2e-${name}-`));
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [serverEntry(name)],
    env: {
      PATH: process.env.PATH ?? "",
      ...env,
      GTM_ENV: "sandbox",
      GTM_ENABLE_WRITES: "true",
      GTM_STATE_URL: `sqlite:${join(stateDir, "state.sqlite")}`,
    },
    stderr: "pipe",
  });
  const client = new Client({ name: "sandbox-e2e", version: "1.0.0" });
  await client.connect(transport);
  return {
    async call(tool, args) {
      const result = await client.callTool({ name: tool, arguments: args });
      if (result.isError) {
        const text = (result.content as Array<{ text: string }>)[0]!.text;
        return { error: JSON.parse(text).error };
      }
      return { data: result.structuredContent as Record<string, unknown> };
    },
    async close() {
      await client.close();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
