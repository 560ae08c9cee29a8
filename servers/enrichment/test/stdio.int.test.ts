import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  type HttpStub,
  readErrorEnvelope,
  type SpawnedStdioServer,
  spawnStdioServer,
  startHttpStub,
} from "@gtm-mcp/tool-kit/testing";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { acmeCompany, NOT_FOUND_BODY } from "./support/pdl-fixtures.js";

const entry = join(dirname(fileURLToPath(import.meta.url)), "..", "dist", "main.js");
const KEY = "pdl-E2E-CANARY-5c4b3a2d1e0f9a8b";
let dir: string;
let stub: HttpStub;

beforeAll(() => {
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`pnpm build\` first (pnpm test does)`);
});
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "enrichment-stdio-"));
  // PDL as vendors.md describes it: a match for acme.com, the not_found 404 for anything else.
  stub = await startHttpStub((request) => {
    if (request.pathname !== "/v5/company/enrich") return { status: 404, body: "no route" };
    if (request.headers["x-api-key"] !== KEY) {
      return {
        status: 401,
        body: { status: 401, error: { type: "authentication_error", message: "bad key" } },
      };
    }
    return request.query.get("website") === "acme.com"
      ? { status: 200, body: acmeCompany(), delayMs: 100 }
      : { status: 404, body: NOT_FOUND_BODY };
  });
});
afterEach(async () => {
  await stub.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The built server over stdio, writes off (a read-only deployment), its state in `dir`. */
function spawnEnrichment(): Promise<SpawnedStdioServer> {
  return spawnStdioServer({
    entry,
    env: {
      GTM_ENV: "sandbox",
      GTM_ENABLE_WRITES: "false",
      GTM_RUN_ID: "e2e-run",
      GTM_STATE_URL: `sqlite:${join(dir, "state.sqlite")}`,
      GTM_LOG_LEVEL: "debug",
      PDL_BASE_URL: stub.url,
      PDL_API_KEY: KEY,
    },
  });
}

describe("the built enrichment server over stdio (sandbox, writes disabled)", { timeout: 180_000 }, () => {
  it("serves signals, caches them across two processes on one SQLite file, and logs no key", async () => {
    const first = await spawnEnrichment();
    const second = await spawnEnrichment();
    try {
      const { tools } = await first.client.listTools();
      expect(tools.map((t) => t.name).sort()).toEqual(["get_account_signals", "get_accounts_signals"]);

      // Both processes ask for the same uncached domain at once: one PDL call between them.
      const [a, b] = await Promise.all([
        first.client.callTool({
          name: "get_account_signals",
          arguments: { domain: "https://www.acme.com/" },
        }),
        second.client.callTool({ name: "get_account_signals", arguments: { domain: "acme.com" } }),
      ]);
      expect(a.structuredContent).toMatchObject({ domain: "acme.com", name: "Acme", confidence: 0.8 });
      expect(b.structuredContent).toMatchObject({ domain: "acme.com", name: "Acme" });
      expect([a, b].filter((r) => (r.structuredContent as { cached: boolean }).cached)).toHaveLength(1);

      const missing = await second.client.callTool({
        name: "get_account_signals",
        arguments: { domain: "nobody.com" },
      });
      expect(readErrorEnvelope(missing)).toMatchObject({ code: "NOT_FOUND", field: "domain" });

      const batch = await first.client.callTool({
        name: "get_accounts_signals",
        arguments: { domains: ["acme.com", "nobody.com", "localhost"] },
      });
      expect(batch.structuredContent).toMatchObject({
        found: 1,
        failed: 2,
        results: [
          { domain: "acme.com", signals: { cached: true } },
          { domain: "nobody.com", error: { code: "NOT_FOUND", details: { cached: true } } },
          { domain: null, error: { code: "INVALID_INPUT", field: "domains[2]" } },
        ],
      });
      expect(stub.requests.filter((r) => r.query.get("website") === "acme.com")).toHaveLength(1);
      expect(stub.requests.filter((r) => r.query.get("website") === "nobody.com")).toHaveLength(1);
    } finally {
      await first.close();
      await second.close();
    }
    const stderr = first.stderr() + second.stderr();
    expect(stderr).toContain('"event":"tool_call"');
    expect(stderr).toContain('"cache":"hit"');
    expect(stderr).toContain('"store":"sqlite"');
    expect(stderr).not.toContain(KEY);
  });
});
