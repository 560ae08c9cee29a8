import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { findOldNode } from "@gtm-mcp/tool-kit/testing";
import { beforeAll, describe, expect, it } from "vitest";
import { ENTRY } from "./support/spawn-crm.js";

beforeAll(() => {
  if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run \`pnpm build\` first (pnpm test does)`);
});

describe("the built entry under an old Node", () => {
  it("prints one line and exits 2 before linking anything that needs Node 22.19", () => {
    // On Debian this is the machine's Node 20, on which node:sqlite fails at link time.
    const old = findOldNode();
    const run = spawnSync(old.command, [...old.args, ENTRY, "--version"], {
      encoding: "utf8",
      env: { PATH: process.env.PATH ?? "" },
    });
    expect(run.stderr).toBe(`gtm-mcp-crm needs Node >= 22.19 (found ${old.version})\n`);
    expect(run.stdout).toBe("");
    expect(run.status).toBe(2);
  });

  it("runs on this Node", () => {
    const run = spawnSync(process.execPath, [ENTRY, "--version"], { encoding: "utf8" });
    expect(run.stdout).toMatch(/^gtm-mcp-crm \d+\.\d+\.\d+\n$/);
    expect(run.status).toBe(0);
  });
});
