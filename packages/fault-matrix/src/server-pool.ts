import { fileURLToPath } from "node:url";
import { type SpawnedStdioServer, spawnStdioServer } from "@gtm-mcp/tool-kit/testing";

/** The servers whose writes the matrix drives. */
export type ServerName = "crm" | "email" | "enrichment";

/** `servers/<name>/dist/main.js` of this repository (built before these tests by turbo). */
export function serverEntry(name: ServerName): string {
  return fileURLToPath(new URL(`../../../servers/${name}/dist/main.js`, import.meta.url));
}

/**
 * Several processes of each server sharing one store (and one run id, so one set of caps):
 * process 0 is where a cell's first attempt goes, the others are "another process or
 * replica". A killed process is spawned again in its slot.
 */
export interface ServerPool {
  process(server: ServerName, slot: number): SpawnedStdioServer;
  /** SIGKILLs the process in `slot` and spawns a new one there. */
  respawn(server: ServerName, slot: number): Promise<void>;
  close(): Promise<void>;
}

/** Spawns `size` processes of each server with `env` (the sandbox's plus the store's). */
export async function startServerPool(
  env: Record<string, string>,
  size: number,
  servers: readonly ServerName[] = ["crm", "email", "enrichment"],
): Promise<ServerPool> {
  // On a loaded machine a dozen servers starting at once can miss the client's initialize
  // timeout: one start at a time per server, and one more try for a start that timed out.
  const spawn = async (name: ServerName): Promise<SpawnedStdioServer> => {
    const start = () => spawnStdioServer({ entry: serverEntry(name), clientName: "fault-matrix", env });
    try {
      return await start();
    } catch {
      return start();
    }
  };
  const slots = new Map<ServerName, SpawnedStdioServer[]>();
  await Promise.all(
    servers.map(async (name) => {
      const list: SpawnedStdioServer[] = [];
      for (let slot = 0; slot < size; slot++) list.push(await spawn(name));
      slots.set(name, list);
    }),
  );
  return {
    process(server, slot) {
      const found = slots.get(server)?.[slot];
      if (!found) throw new Error(`no ${server} process in slot ${slot}`);
      return found;
    },
    async respawn(server, slot) {
      const list = slots.get(server)!;
      await list[slot]!.kill("SIGKILL");
      list[slot] = await spawn(server);
    },
    async close() {
      await Promise.all([...slots.values()].flat().map((p) => p.close().catch(() => {})));
    },
  };
}
