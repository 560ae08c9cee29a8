import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type SpawnedStdioServer, spawnStdioServer } from "@gtm-mcp/tool-kit/testing";

/** `servers/<name>/dist/main.js` of this repository (built before the sandbox's tests by turbo). */
export function serverEntry(name: string): string {
  return fileURLToPath(new URL(`../../../../servers/${name}/dist/main.js`, import.meta.url));
}

/** A built server spawned over stdio, with its state directory removed on close. */
export type SpawnedServer = SpawnedStdioServer;

/** Spawns a built server in the sandbox with writes on, its state in a fresh SQLite file. */
export async function spawnServer(name: string, env: Record<string, string>): Promise<SpawnedServer> {
  const stateDir = mkdtempSync(join(tmpdir(), `gtm-e2e-${name}-`));
  const server = await spawnStdioServer({
    entry: serverEntry(name),
    clientName: "sandbox-e2e",
    env: {
      ...env,
      GTM_ENV: "sandbox",
      GTM_ENABLE_WRITES: "true",
      GTM_STATE_URL: `sqlite:${join(stateDir, "state.sqlite")}`,
    },
  });
  const close = server.close.bind(server);
  return Object.assign(server, {
    async close() {
      await close();
      rmSync(stateDir, { recursive: true, force: true });
    },
  });
}
