import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { runToExit } from "@gtm-mcp/tool-kit/testing";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type HubSpotStub, startHubSpotStub } from "./support/hubspot-stub.js";

const entry = join(dirname(fileURLToPath(import.meta.url)), "..", "dist", "main.js");
const CANARY = "pat-na1-CANARY-d41d8cd98f00b204e980";
let dir: string;
let stub: HubSpotStub | undefined;

beforeAll(() => {
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`pnpm build\` first (pnpm test does)`);
});
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "crm-process-"));
});
afterEach(async () => {
  await stub?.close();
  stub = undefined;
  rmSync(dir, { recursive: true, force: true });
});

/** Runs the built server until it exits (a refusal to start), giving up after 15 s. */
const runUntilExit = (env: Record<string, string>) => runToExit({ entry, env, timeoutMs: 15_000 });

const stagingEnv = (baseUrl: string, portalId: string) => ({
  GTM_ENV: "staging",
  GTM_STATE_URL: `sqlite:${join(dir, "state.sqlite")}`,
  HUBSPOT_BASE_URL: baseUrl,
  HUBSPOT_PORTAL_ID: portalId,
  HUBSPOT_ACCESS_TOKEN: CANARY,
});

describe("the built CRM server as a process", () => {
  it("prints --version and --help with every variable", () => {
    const version = spawnSync(process.execPath, [entry, "--version"], { encoding: "utf8" });
    expect(version.status).toBe(0);
    expect(version.stdout.trim()).toBe("gtm-mcp-crm 0.1.0");
    const help = spawnSync(process.execPath, [entry, "--help"], { encoding: "utf8" });
    for (const name of [
      "HUBSPOT_ACCESS_TOKEN | HUBSPOT_ACCESS_TOKEN_FILE",
      "HUBSPOT_BASE_URL",
      "HUBSPOT_PORTAL_ID",
      "HUBSPOT_API_VERSION",
      "CRM_UPDATABLE_PROPERTIES",
    ]) {
      expect(help.stdout).toContain(name);
    }
  });

  it("refuses the real HubSpot API in the sandbox: exit 2, one line naming the variable, no request", async () => {
    const run = await runUntilExit({
      GTM_ENV: "sandbox",
      GTM_STATE_URL: `sqlite:${join(dir, "state.sqlite")}`,
      HUBSPOT_BASE_URL: "https://api.hubapi.com",
      HUBSPOT_ACCESS_TOKEN: CANARY,
    });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(
      /^gtm-mcp-crm: configuration error: HUBSPOT_BASE_URL: GTM_ENV=sandbox only reaches local emulators, and api\.hubapi\.com is not a loopback address[^\n]*\n$/,
    );
    expect(run.stderr).not.toContain(CANARY);
  });

  it("states the sandbox and real defaults of HUBSPOT_BASE_URL in --help", () => {
    const help = spawnSync(process.execPath, [entry, "--help"], { encoding: "utf8" });
    expect(help.stdout).toContain(
      "default: http://127.0.0.1:4010 (the emulator) in sandbox; https://api.hubapi.com otherwise",
    );
    expect(help.stdout).not.toContain("the sandbox sets it");
  });

  it("refuses to start when the token belongs to another portal: exit 2, one line naming both ids, never the token", async () => {
    stub = await startHubSpotStub({ portalId: 222222 });
    const run = await runUntilExit(stagingEnv(stub.url, "111111"));
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    const lines = run.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^gtm-mcp-crm: refusing to start: /);
    expect(lines[0]).toContain("111111");
    expect(lines[0]).toContain("222222");
    expect(run.stderr).not.toContain(CANARY);
    expect(stub.requests.map((r) => r.pathname)).toEqual(["/account-info/2026-09/details"]);
    expect(stub.requests[0]!.headers.authorization).toBe(`Bearer ${CANARY}`);
  });

  it("pins every path to HUBSPOT_API_VERSION: 2026-03 asks /account-info/2026-03/details; an unsupported version refuses to start with exit 2 and one line", async () => {
    stub = await startHubSpotStub({ portalId: 222222 });
    const previous = await runUntilExit({
      ...stagingEnv(stub.url, "111111"),
      HUBSPOT_API_VERSION: "2026-03",
    });
    expect(previous.code).toBe(2);
    expect(stub.requests.map((r) => r.pathname)).toEqual(["/account-info/2026-03/details"]);

    // One unsupported value here (each start costs seconds); config.test.ts refuses several.
    const run = await runUntilExit({ ...stagingEnv(stub.url, "222222"), HUBSPOT_API_VERSION: "2025-09" });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(
      /^gtm-mcp-crm: configuration error: HUBSPOT_API_VERSION: expected a supported HubSpot API version: 2026-09, 2026-03[^\n]*\n$/,
    );
    // Refused before any request.
    expect(stub.requests).toHaveLength(1);
  });

  it("refuses to start with a clear line when HubSpot rejects the token at the identity check", async () => {
    stub = await startHubSpotStub({ portalId: 111111, token: "some-other-token" });
    const run = await runUntilExit(stagingEnv(stub.url, "111111"));
    expect(run.code).toBe(2);
    const lines = run.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/refusing to start: HubSpot rejected HUBSPOT_ACCESS_TOKEN .*401/);
    expect(run.stderr).not.toContain(CANARY);
  });

  it("refuses to start when HubSpot cannot be reached for the identity check", async () => {
    const run = await runUntilExit(stagingEnv("http://127.0.0.1:9", "111111"));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /refusing to start: could not check that HUBSPOT_ACCESS_TOKEN belongs to portal 111111/,
    );
  });
});
