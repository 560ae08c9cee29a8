import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { findOldNode } from "@gtm-mcp/tool-kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ENTRY = fileURLToPath(new URL("../dist/main.js", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "gtm-ops-bin-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(() => {
  if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run \`pnpm build\` first (pnpm test does)`);
});

describe("the built gtm-mcp CLI", () => {
  it("refuses an old Node with one line and exit 2", () => {
    const old = findOldNode();
    const run = spawnSync(old.command, [...old.args, ENTRY, "store", "info"], {
      encoding: "utf8",
      env: { PATH: process.env.PATH ?? "" },
    });
    expect(run.stderr).toBe(`gtm-mcp needs Node >= 22.19 (found ${old.version})\n`);
    expect(run.status).toBe(2);
  });

  it("answers store info --json for a state file, exit 0", () => {
    const run = spawnSync(process.execPath, [ENTRY, "store", "info", "--json", "--server", "email"], {
      encoding: "utf8",
      env: { PATH: process.env.PATH ?? "", GTM_STATE_URL: `sqlite:${join(dir, "s.sqlite")}` },
    });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      kind: "sqlite",
      server: "email",
      env: "sandbox",
      reachable: true,
    });
  });
});
