import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The `version` of the package a module belongs to: the nearest `package.json` above it
 * (`src/server.ts` in development and `dist/server.js` at run time find the same one), so
 * `--version`, the MCP `serverInfo` and the start line never drift from what was released.
 * Call it with `import.meta.url`.
 *
 * @throws Error when no `package.json` with a version is found above the module.
 */
export function packageVersion(moduleUrl: string): string {
  let dir = dirname(fileURLToPath(moduleUrl));
  for (;;) {
    let text: string | undefined;
    try {
      text = readFileSync(join(dir, "package.json"), "utf8");
    } catch {
      // not here; look higher
    }
    if (text !== undefined) {
      const version = (JSON.parse(text) as { version?: unknown }).version;
      if (typeof version === "string" && version !== "") return version;
      throw new Error(`${join(dir, "package.json")} has no version`);
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${moduleUrl}`);
    dir = parent;
  }
}
