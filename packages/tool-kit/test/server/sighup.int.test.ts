import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { waitFor } from "../../src/testing/index.js";

const here = dirname(fileURLToPath(import.meta.url));
const hooks = join(here, "..", "idempotency", "fixtures", "source-hooks.mjs");
const secretServer = join(here, "fixtures", "secret-server.mjs");
const dir = mkdtempSync(join(tmpdir(), "gtm-sighup-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("runMain on SIGHUP", () => {
  it("re-reads every secret file, logs the ones that changed and the ones it could not read", async () => {
    const a = join(dir, "a");
    const b = join(dir, "b");
    writeFileSync(a, "tok-a-before-hup\n");
    writeFileSync(b, "tok-b-before-hup\n");
    const child = spawn(process.execPath, ["--import", hooks, secretServer], {
      env: { PATH: process.env.PATH ?? "", A_TOKEN_FILE: a, B_TOKEN_FILE: b },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    const logs = () =>
      stderr
        .trim()
        .split("\n")
        .filter((l) => l.startsWith("{"))
        .map((l) => JSON.parse(l) as Record<string, unknown>);
    try {
      await waitFor(() => stderr.includes("serving MCP over stdio"));
      rmSync(a);
      writeFileSync(b, "tok-b-after-hup\n");
      child.kill("SIGHUP");
      await waitFor(() => stderr.includes("could not re-read some secrets"));
      await waitFor(() => stderr.includes("secrets re-read"));
      expect(logs().find((l) => l.msg === "secrets re-read")).toMatchObject({ changed: ["B_TOKEN"] });
      expect(logs().find((l) => l.msg === "could not re-read some secrets")).toMatchObject({
        level: "error",
        failed: [{ name: "A_TOKEN", problem: expect.stringMatching(/^A_TOKEN_FILE: cannot read .*ENOENT/) }],
      });
      expect(stderr).not.toMatch(/tok-[ab]-(before|after)-hup/);
    } finally {
      child.kill("SIGTERM");
    }
    expect(await exited).toBe(0);
  });
});
