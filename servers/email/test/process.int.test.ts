import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { runToExit } from "@gtm-mcp/tool-kit/testing";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type GmailStub, type GmailStubOptions, startGmailStub } from "./support/gmail-stub.js";

const entry = join(dirname(fileURLToPath(import.meta.url)), "..", "dist", "main.js");
const SECRET = "gocspx-PROC-CANARY-client-secret-31ef";
const REFRESH = "1//0g-PROC-CANARY-refresh-token-40aa";
let dir: string;
let stub: GmailStub | undefined;

beforeAll(() => {
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`pnpm build\` first (pnpm test does)`);
});
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "email-process-"));
});
afterEach(async () => {
  await stub?.close();
  stub = undefined;
  rmSync(dir, { recursive: true, force: true });
});

/** Runs the built server until it exits (a refusal to start), giving up after 90 s. */
const runUntilExit = (env: Record<string, string>) => runToExit({ entry, env, timeoutMs: 90_000 });

async function stagingEnv(sender: string | undefined, stubOptions: GmailStubOptions = {}) {
  stub = await startGmailStub({ emailAddress: "rep@seller.test", ...stubOptions });
  return {
    GTM_ENV: "staging",
    GTM_STATE_URL: `sqlite:${join(dir, "state.sqlite")}`,
    GMAIL_BASE_URL: stub.baseUrl,
    GMAIL_TOKEN_URL: stub.tokenUrl,
    GMAIL_CLIENT_ID: "proc.apps.googleusercontent.com",
    GMAIL_CLIENT_SECRET: SECRET,
    GMAIL_REFRESH_TOKEN: REFRESH,
    ...(sender ? { GMAIL_SENDER: sender } : {}),
  };
}

const oneLine = (stderr: string) =>
  stderr
    .trim()
    .split("\n")
    .filter((l) => !l.startsWith("{"));

describe("the built email server as a process", () => {
  it("prints --version and --help with every variable", () => {
    const version = spawnSync(process.execPath, [entry, "--version"], { encoding: "utf8" });
    expect(version.stdout.trim()).toBe("gtm-mcp-email 0.1.0");
    const help = spawnSync(process.execPath, [entry, "--help"], { encoding: "utf8" });
    for (const name of [
      "GMAIL_CLIENT_SECRET | GMAIL_CLIENT_SECRET_FILE",
      "GMAIL_REFRESH_TOKEN | GMAIL_REFRESH_TOKEN_FILE",
      "GMAIL_SENDER",
      "GMAIL_BASE_URL",
      "GMAIL_TOKEN_URL",
      "EMAIL_SEND_MODE",
      "EMAIL_MAX_SENDS_PER_RUN",
      "EMAIL_RECIPIENT_COOLDOWN_DAYS",
      "EMAIL_SUPPRESSION_FILE",
    ]) {
      expect(help.stdout).toContain(name);
    }
  });

  it("requires GMAIL_SENDER in staging", async () => {
    const run = await runUntilExit(await stagingEnv(undefined));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/GMAIL_SENDER/);
  });

  it("refuses to start when the token belongs to another mailbox: exit 2, one line naming both, no secret", async () => {
    const run = await runUntilExit(await stagingEnv("someone@seller.test"));
    expect(run.code).toBe(2);
    const lines = oneLine(run.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /GMAIL_SENDER is someone@seller\.test but the Gmail token belongs to rep@seller\.test/,
    );
    expect(run.stderr).not.toContain(SECRET);
    expect(run.stderr).not.toContain(REFRESH);
    expect(run.stdout).toBe("");
  });

  it("refuses full mailbox access in staging, naming the extra scopes", async () => {
    const run = await runUntilExit(
      await stagingEnv("rep@seller.test", {
        scope:
          "https://mail.google.com/ https://www.googleapis.com/auth/gmail.modify https://www.googleapis.com/auth/gmail.compose",
      }),
    );
    expect(run.code).toBe(2);
    expect(oneLine(run.stderr)[0]).toMatch(
      /https:\/\/mail\.google\.com\/, https:\/\/www\.googleapis\.com\/auth\/gmail\.modify/,
    );
  });

  it("a revoked refresh token stops the start with one line saying so", async () => {
    const run = await runUntilExit(await stagingEnv("rep@seller.test", { revokedRefreshToken: true }));
    expect(run.code).toBe(2);
    expect(oneLine(run.stderr)[0]).toMatch(/refresh token was revoked/);
  });

  it("refuses a send cap above the write cap", async () => {
    const run = await runUntilExit({
      ...(await stagingEnv("rep@seller.test")),
      GTM_MAX_WRITES_PER_RUN: "10",
      EMAIL_MAX_SENDS_PER_RUN: "11",
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /EMAIL_MAX_SENDS_PER_RUN \(11\) must be at most GTM_MAX_WRITES_PER_RUN \(10\)/,
    );
  });

  it("refuses to start on a suppression entry it cannot read: exit 2, one line naming the file's line (never fails open)", async () => {
    const file = join(dir, "suppressed.txt");
    writeFileSync(file, "# opt-outs\nJane Roe <roe@acme.test>\nbücher.de\nx%evil.test@acme.test\n");
    const run = await runUntilExit({
      ...(await stagingEnv("rep@seller.test")),
      EMAIL_SUPPRESSION_FILE: file,
    });
    expect(run.code).toBe(2);
    const lines = oneLine(run.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`EMAIL_SUPPRESSION_FILE ${file} line 4: not an address or domain`);
    expect(lines[0]).toMatch(/routing syntax/);
  });
});
