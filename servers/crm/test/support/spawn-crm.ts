import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type SpawnedStdioServer, spawnStdioServer } from "@gtm-mcp/tool-kit/testing";
import { API_VERSION } from "./api-version.js";

/** The built server the `*.int.test.ts` files spawn. */
export const ENTRY = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "dist", "main.js");

/** A spawned CRM server and a real MCP client over its stdio. */
export type SpawnedCrm = SpawnedStdioServer;

/** Spawns `dist/main.js` in the sandbox with writes on, against `baseUrl`, its state under `stateDir`. */
export function spawnCrm(baseUrl: string, stateDir: string, token: string): Promise<SpawnedCrm> {
  return spawnStdioServer({
    entry: ENTRY,
    clientName: "e2e",
    env: {
      GTM_ENV: "sandbox",
      GTM_ENABLE_WRITES: "true",
      GTM_STATE_URL: `sqlite:${join(stateDir, "state.sqlite")}`,
      HUBSPOT_BASE_URL: baseUrl,
      HUBSPOT_ACCESS_TOKEN: token,
      HUBSPOT_API_VERSION: API_VERSION,
    },
  });
}
