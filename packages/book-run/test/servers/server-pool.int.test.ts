import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type HttpStub, startHttpStub, stubRoutes, waitFor } from "@gtm-mcp/tool-kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serverEntry } from "../../src/servers/server-entries.js";
import { ServerPool } from "../../src/servers/server-pool.js";

// The pool over the real, built crm server (spawned over stdio) in front of a HubSpot stub.
describe("ServerPool over the built crm server", () => {
  let hubspot: HttpStub;
  let pool: ServerPool;
  let dir: string;
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });

  beforeAll(async () => {
    expect(existsSync(serverEntry("crm")), "servers/crm is built (turbo builds it before this test)").toBe(
      true,
    );
    dir = mkdtempSync(join(tmpdir(), "book-run-pool-"));
    hubspot = await startHttpStub(
      stubRoutes({
        "GET /crm/objects/:version/companies/:id": async (req) => {
          if (req.params.id === "999") await held; // answers only when the test lets it
          return {
            body: { id: req.params.id, properties: { name: `Company ${req.params.id}`, domain: "acme.com" } },
          };
        },
      }),
    );
    pool = await ServerPool.start([
      {
        name: "crm",
        entry: serverEntry("crm"),
        env: {
          GTM_ENV: "sandbox",
          GTM_STATE_URL: `sqlite:${join(dir, "state.sqlite")}`,
          GTM_LOG_LEVEL: "warn",
          HUBSPOT_BASE_URL: hubspot.url,
          HUBSPOT_ACCESS_TOKEN: "sandbox-token",
        },
      },
    ]);
  });

  afterAll(async () => {
    release();
    await pool?.close();
    await hubspot?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("calls a tool through a real MCP client and reads the structured result", async () => {
    expect(await pool.listTools("crm")).toContain("get_account");
    const outcome = await pool.call("crm", "get_account", { account_id: "1001" });
    expect(outcome).toMatchObject({
      ok: true,
      replayed: false,
      structured: { account: { id: "1001", name: "Company 1001" } },
    });
  });

  it("reads an error envelope", async () => {
    const outcome = await pool.call("crm", "get_account", { account_id: "abc" });
    expect(outcome).toMatchObject({ ok: false, error: { code: "INVALID_INPUT" } });
  });

  it("answers a call whose process was SIGKILLed as an unknown outcome, and serves again after the restart", async () => {
    const inFlight = pool.call("crm", "get_account", { account_id: "999" });
    await waitFor(
      () => hubspot.requests.some((r) => r.pathname.endsWith("/999")),
      30_000,
      "the request to reach HubSpot",
    );
    await pool.kill("crm");
    expect(await inFlight).toMatchObject({
      ok: false,
      error: { code: "OUTCOME_UNKNOWN", sideEffect: "unknown" },
    });
    expect(pool.restarts()).toEqual({ crm: 1 });
    expect(await pool.call("crm", "get_account", { account_id: "1002" })).toMatchObject({ ok: true });
  });
});
