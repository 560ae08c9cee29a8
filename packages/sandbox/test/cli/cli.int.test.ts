import { spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
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
