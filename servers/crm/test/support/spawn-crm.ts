import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";

/** The built server the `*.int.test.ts` files spawn. */
export const ENTRY = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "dist", "main.js");

type Result = Awaited<ReturnType<Client["callTool"]>>;

/** A spawned CRM server and a real MCP client over its stdio. */
export interface SpawnedCrm {
  client: Client;
  /** Calls a tool: `data` is structuredContent on success, `error` the envelope on failure. */
  call(
    name: string,
    args: Record<string, unknown>,
  ): Promise<{ data?: Record<string, unknown>; error?: Record<string, unknown> }>;
  close(): Promise<void>;
}

/** Spawns `dist/main.js` in the sandbox with writes on, against `baseUrl`, its state under `stateDir`. */
export async function spawnCrm(baseUrl: string, stateDir: string, token: string): Promise<SpawnedCrm> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [ENTRY],
    env: {
      PATH: process.env.PATH ?? "",
      GTM_ENV: "sandbox",
      GTM_ENABLE_WRITES: "true",
      GTM_STATE_URL: `sqlite:${join(stateDir, "state.sqlite")}`,
      HUBSPOT_BASE_URL: baseUrl,
      HUBSPOT_ACCESS_TOKEN: token,
    },
    stderr: "pipe",
  });
  const client = new Client({ name: "e2e", version: "1.0.0" });
  await client.connect(transport);
  return {
    client,
    async call(name, args) {
      const result: Result = await client.callTool({ name, arguments: args });
      if (result.isError) {
        const text = (result.content as Array<{ text: string }>)[0]!.text;
        return { error: JSON.parse(text).error };
      }
      return { data: result.structuredContent as Record<string, unknown> };
    },
    close: () => client.close(),
  };
}
