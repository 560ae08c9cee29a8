import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type HttpStub, startHttpStub, stubRoutes } from "@gtm-mcp/tool-kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serverEntry } from "../../src/servers/server-entries.js";
import { ServerPool } from "../../src/servers/server-pool.js";

// A restart that fails must not leave the server answering every later call as lost: the next
// call is answered as lost (its outcome is unknown to the run) and spawns the server again.
const fixture = join(dirname(fileURLToPath(import.meta.url)), "fixtures", "fail-second-start.mjs");

describe("ServerPool when a restart fails", () => {
  let hubspot: HttpStub;
  let pool: ServerPool;
  let dir: string;

  beforeAll(async () => {
    expect(existsSync(serverEntry("crm")), "servers/crm is built (turbo builds it before this test)").toBe(
      true,
    );
    dir = mkdtempSync(join(tmpdir(), "book-run-restart-"));
    hubspot = await startHttpStub(
      stubRoutes({
        "GET /crm/objects/:version/companies/:id": async (req) => ({
          body: { id: req.params.id, properties: { name: `Company ${req.params.id}`, domain: "acme.com" } },
        }),
      }),
    );
  });

  afterAll(async () => {
    await pool?.close();
    await hubspot?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("answers the next call as lost, spawns the server again, and serves the one after", async () => {
    const counter = join(dir, "starts");
    pool = await ServerPool.start([
      {
        name: "crm",
        entry: fixture,
        env: {
          START_COUNT_FILE: counter,
          SERVER_ENTRY: serverEntry("crm"),
          GTM_ENV: "sandbox",
          GTM_STATE_URL: `sqlite:${join(dir, "state.sqlite")}`,
          GTM_LOG_LEVEL: "warn",
          HUBSPOT_BASE_URL: hubspot.url,
          HUBSPOT_ACCESS_TOKEN: "sandbox-token",
        },
      },
    ]);
    expect(await pool.call("crm", "get_account", { account_id: "1001" })).toMatchObject({ ok: true });

    // The restart fails (the second start); kill() still resolves: it is not the run's failure.
    await pool.kill("crm");
    expect(readFileSync(counter, "utf8")).toBe("2");
    expect(pool.restarts()).toEqual({ crm: 1 });

    const met = await pool.call("crm", "get_account", { account_id: "1002" });
    expect(met).toMatchObject({ ok: false, error: { code: "OUTCOME_UNKNOWN", sideEffect: "unknown" } });
    expect(met.ok === false && met.error.message).toMatch(/the crm server did not restart/);

    // That call spawned it again (the third start), and it serves.
    expect(await pool.call("crm", "get_account", { account_id: "1003" })).toMatchObject({
      ok: true,
      structured: { account: { id: "1003" } },
    });
    expect(readFileSync(counter, "utf8")).toBe("3");
  });
});
