import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";

const entry = join(dirname(fileURLToPath(import.meta.url)), "..", "dist", "main.js");

beforeAll(() => {
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`pnpm build\` first (pnpm test does)`);
});

const run = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [entry, ...args], {
    env: { PATH: process.env.PATH ?? "", ...env },
    encoding: "utf8",
    timeout: 15_000,
    input: "",
  });

describe("the built server as a process", () => {
  it("prints --version and --help (every variable, its default, whether secret) and exits 0", () => {
    const version = run(["--version"]);
    expect(version.status).toBe(0);
    expect(version.stdout.trim()).toBe("gtm-mcp-example 0.1.0");

    const help = run(["--help"]);
    expect(help.status).toBe(0);
    for (const name of [
      "GTM_ENV",
      "GTM_ENABLE_WRITES",
      "GTM_RUN_ID",
      "GTM_MAX_WRITES_PER_RUN",
      "GTM_STATE_URL",
      "GTM_LOG_LEVEL",
    ]) {
      expect(help.stdout).toContain(name);
    }
    expect(help.stdout).toMatch(
      /EXAMPLE_API_TOKEN \| EXAMPLE_API_TOKEN_FILE\s+.*\n\s+default: \(none\); secret/,
    );
  });

  it("stops on a bad value with one line naming the variable, exit 2, no stack trace", () => {
    const bad = run([], { GTM_ENV: "prod" });
    expect(bad.status).toBe(2);
    expect(bad.stdout).toBe("");
    const lines = bad.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^gtm-mcp-example: configuration error: GTM_ENV: expected sandbox, staging or production/,
    );
    expect(bad.stderr).not.toMatch(/\n\s+at /);

    const production = run([], { GTM_ENV: "production", GTM_STATE_URL: "sqlite:/tmp/x.sqlite" });
    expect(production.status).toBe(2);
    expect(production.stderr).toMatch(/GTM_STATE_URL: production requires a shared Redis store/);

    const missingFile = run([], { EXAMPLE_API_TOKEN_FILE: "/nonexistent/token" });
    expect(missingFile.status).toBe(2);
    expect(missingFile.stderr).toMatch(/EXAMPLE_API_TOKEN_FILE: cannot read \/nonexistent\/token/);

    const notADir = join(mkdtempSync(join(tmpdir(), "example-proc-")), "a-file");
    writeFileSync(notADir, "");
    const unopenable = run([], { GTM_STATE_URL: `sqlite:${notADir}/state.sqlite` });
    expect(unopenable.status).toBe(2);
    expect(unopenable.stderr.trim().split("\n")).toHaveLength(1);
    expect(unopenable.stderr).toMatch(
      /^gtm-mcp-example: refusing to start: cannot open the idempotency store at .*a-file\/state\.sqlite \(.*\); set GTM_STATE_URL/,
    );

    const unknownFlag = run(["--verbose"]);
    expect(unknownFlag.status).toBe(2);
  }, 75_000); // Four servers started one after another (each may take 15 s on a loaded machine).
});
