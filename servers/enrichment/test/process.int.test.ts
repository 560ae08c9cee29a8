import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const entry = join(dirname(fileURLToPath(import.meta.url)), "..", "dist", "main.js");
const KEY = "pdl-PROC-CANARY-0a1b2c3d4e5f6a7b";
const dir = mkdtempSync(join(tmpdir(), "enrichment-proc-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeAll(() => {
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`pnpm build\` first (pnpm test does)`);
});

function run(args: string[], env: Record<string, string>) {
  const result = spawnSync(process.execPath, [entry, ...args], {
    env: { PATH: process.env.PATH ?? "", ...env },
    input: "",
    encoding: "utf8",
    timeout: 100_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

// Each test spawns node: generous bounds, the machine may be shared and loaded.
describe("the built enrichment server as a process", { timeout: 120_000 }, () => {
  it("prints --version and --help with every variable it reads", () => {
    expect(run(["--version"], {}).stdout).toBe("gtm-mcp-enrichment 0.1.0\n");
    const help = run(["--help"], {});
    expect(help.code).toBe(0);
    for (const name of [
      "PDL_API_KEY",
      "PDL_BASE_URL",
      "ENRICHMENT_MIN_LIKELIHOOD",
      "ENRICHMENT_CACHE_TTL_HOURS",
      "ENRICHMENT_NOT_FOUND_TTL_HOURS",
      "ENRICHMENT_MAX_CALLS_PER_RUN",
    ]) {
      expect(help.stdout).toContain(name);
    }
    expect(help.stdout).toContain("http://127.0.0.1:4020");
  });

  it("refuses to start without PDL_API_KEY: exit 2, one line naming it", () => {
    const { code, stderr } = run([], { GTM_STATE_URL: `sqlite:${join(dir, "a.sqlite")}` });
    expect(code).toBe(2);
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(stderr).toMatch(/PDL_API_KEY/);
  });

  it("refuses production without Redis even with writes off (the cache and the credit cap need it)", () => {
    const { code, stderr } = run([], {
      GTM_ENV: "production",
      GTM_ENABLE_WRITES: "false",
      PDL_API_KEY: KEY,
      HOME: dir,
      XDG_STATE_HOME: join(dir, "state"),
    });
    expect(code).toBe(2);
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(stderr).toMatch(/refuses the embedded SQLite store/);
    expect(stderr).not.toContain(KEY);
  });
});
