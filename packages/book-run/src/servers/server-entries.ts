import { fileURLToPath } from "node:url";
import type { ServerName } from "../policy/index.js";

/**
 * The built entry (`dist/main.js`) of each server in this repository. The book run drives the
 * BUILT servers, exactly what `claude mcp add … -- node servers/<name>/dist/main.js` runs.
 */
export function serverEntry(name: ServerName): string {
  // src/servers/ and dist/servers/ both sit three levels below the repository root's packages/.
  return fileURLToPath(new URL(`../../../../servers/${name}/dist/main.js`, import.meta.url));
}
