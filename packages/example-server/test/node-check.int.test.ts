import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { findOldNode } from "@gtm-mcp/tool-kit/testing";
import { describe, expect, it } from "vitest";

const dist = join(dirname(fileURLToPath(import.meta.url)), "..", "dist");

describe.each([
  ["main.js", "gtm-mcp-example"],
  ["cli/demo.js", "gtm-mcp-demo"],
])("dist/%s under an old Node", (file, binary) => {
  it("prints one line and exits 2", () => {
    const entry = join(dist, file);
    if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`pnpm build\` first (pnpm test does)`);
    const old = findOldNode();
    const run = spawnSync(old.command, [...old.args, entry, "--version"], {
      encoding: "utf8",
      env: { PATH: process.env.PATH ?? "" },
    });
    expect(run.stderr).toBe(`${binary} needs Node >= 22.19 (found ${old.version})\n`);
    expect(run.stdout).toBe("");
    expect(run.status).toBe(2);
  });
});
