import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { findOldNode } from "@gtm-mcp/tool-kit/testing";
import { beforeAll, describe, expect, it } from "vitest";

const ENTRY = join(dirname(fileURLToPath(import.meta.url)), "..", "dist", "main.js");

beforeAll(() => {
  if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run \`pnpm build\` first (pnpm test does)`);
});

describe("the built entry under an old Node", () => {
  it("prints one line and exits 2 before linking anything that needs Node 22.19", () => {
    const old = findOldNode();
    const run = spawnSync(old.command, [...old.args, ENTRY, "--version"], {
      encoding: "utf8",
      env: { PATH: process.env.PATH ?? "" },
    });
    expect(run.stderr).toBe(`gtm-mcp-email needs Node >= 22.19 (found ${old.version})\n`);
    expect(run.stdout).toBe("");
    expect(run.status).toBe(2);
  });
});
