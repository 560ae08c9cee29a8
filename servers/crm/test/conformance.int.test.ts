import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runConformance, spawnHttpServer, TOOLS_ONLY_SCENARIOS } from "@gtm-mcp/tool-kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENTRY } from "./support/spawn-crm.js";

const TOKEN = "tok-conformance-0123456789";
const dir = mkdtempSync(join(tmpdir(), "crm-conformance-"));
beforeAll(() => {
  if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run \`pnpm build\` first (pnpm test does)`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the built crm server against the MCP conformance suite", () => {
  it("passes the tools-only scenarios over Streamable HTTP (initialize, ping, tools/list, DNS rebinding)", async () => {
    const results = await runConformance({
      token: TOKEN,
      start: (allowedHosts) =>
        spawnHttpServer({
          entry: ENTRY,
          env: {
            PATH: process.env.PATH ?? "",
            GTM_ENV: "sandbox",
            GTM_ENABLE_WRITES: "true",
            GTM_STATE_URL: `sqlite:${join(dir, "state.sqlite")}`,
            HUBSPOT_ACCESS_TOKEN: "pat-sandbox-conformance-0000",
            GTM_HTTP_TOKENS: TOKEN,
            GTM_HTTP_ALLOWED_HOSTS: allowedHosts.join(","),
          },
        }),
    });
    expect(results.map((r) => r.scenario)).toEqual([...TOOLS_ONLY_SCENARIOS]);
    const failed = results
      .filter((r) => !r.passed)
      .map((r) => ({
        scenario: r.scenario,
        checks: r.checks.filter((c) => c.status !== "SUCCESS"),
        output: r.output.slice(-2000),
      }));
    expect(failed).toEqual([]);
  }, 240_000);
});
