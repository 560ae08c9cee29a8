import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { generateBook } from "../../src/book/generate-book.js";
import { call } from "../support/http.js";

const MAIN = fileURLToPath(new URL("../../dist/cli/main.js", import.meta.url));
const FREE_PORTS = ["--hubspot-port", "0", "--pdl-port", "0", "--snowflake-port", "0", "--gmail-port", "0"];

describe("gtm-sandbox (built)", () => {
  it("--json prints one JSON object once ready; the emulators answer; SIGINT stops cleanly with exit 0", async () => {
    const child = spawn(process.execPath, [MAIN, "--json", "--accounts", "100", ...FREE_PORTS], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
    });
    const line = await new Promise<string>((resolve, reject) => {
      child.stdout.on("data", () => stdout.includes("\n") && resolve(stdout.slice(0, stdout.indexOf("\n"))));
      child.once("exit", (code) => reject(new Error(`exited ${code} before printing`)));
    });
    const ready = JSON.parse(line);
    expect(ready.book).toMatchObject({
      seed: "gtm-sandbox-1",
      accounts: 100,
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(ready.env).toMatchObject({ GTM_ENV: "sandbox", HUBSPOT_BASE_URL: ready.urls.hubspot });
    const answer = await call(`${ready.urls.hubspot}/account-info/2026-09/details`, {
      headers: { authorization: `Bearer ${ready.credentials.hubspotAccessToken}` },
    });
    expect(answer.status).toBe(200);
    child.kill("SIGINT");
    const [code] = await once(child, "exit");
    expect(code).toBe(0);
    expect(stdout.trim().split("\n")).toHaveLength(1);
  });

  it("two sandboxes of one seed and different book sizes at once each keep their own suppression file, removed on stop", async () => {
    const seed = "shared-seed";
    const small = startCli(["--json", "--seed", seed, "--accounts", "120", ...FREE_PORTS]);
    const large = startCli(["--json", "--seed", seed, "--accounts", "400", ...FREE_PORTS]);
    try {
      const [a, b] = await Promise.all([small.ready, large.ready]);
      const fileA = a.env.EMAIL_SUPPRESSION_FILE as string;
      const fileB = b.env.EMAIL_SUPPRESSION_FILE as string;
      const listA = generateBook({ seed, accounts: 120 }).suppression;
      const listB = generateBook({ seed, accounts: 400 }).suppression;
      // The two books' lists differ, so one sandbox rewriting the other's file would show.
      expect(listA).not.toEqual(listB);
      expect(fileA).not.toBe(fileB);
      const lines = (file: string) => readFileSync(file, "utf8").trim().split("\n");
      expect(lines(fileA)).toEqual(listA);
      expect(lines(fileB)).toEqual(listB);
      // The small one stops: its file goes, the large one's is untouched.
      small.child.kill("SIGINT");
      expect((await once(small.child, "exit"))[0]).toBe(0);
      expect(existsSync(fileA)).toBe(false);
      expect(lines(fileB)).toEqual(listB);
      large.child.kill("SIGINT");
      expect((await once(large.child, "exit"))[0]).toBe(0);
      expect(existsSync(fileB)).toBe(false);
    } finally {
      small.child.kill("SIGKILL");
      large.child.kill("SIGKILL");
    }
  });

  it("refuses a bad option with exit 2 and one line", async () => {
    const child = spawn(process.execPath, [MAIN, "--accounts", "zero"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (c: string) => {
      stderr += c;
    });
    const [code] = await once(child, "exit");
    expect(code).toBe(2);
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(stderr).toContain("--accounts");
  });
});

/** Starts the built CLI; `ready` is its `--json` line, parsed. */
function startCli(args: string[]): { child: ChildProcess; ready: Promise<{ env: Record<string, string> }> } {
  const child = spawn(process.execPath, [MAIN, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  const ready = new Promise<{ env: Record<string, string> }>((resolve, reject) => {
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
      if (stdout.includes("\n")) resolve(JSON.parse(stdout.slice(0, stdout.indexOf("\n"))));
    });
    child.once("exit", (code) => reject(new Error(`exited ${code} before printing`)));
  });
  return { child, ready };
}
