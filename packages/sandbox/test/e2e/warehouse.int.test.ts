import { generateKeyPairSync } from "node:crypto";
import { spawnStdioServer } from "@gtm-mcp/tool-kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../../src/index.js";
import { type SpawnedServer, serverEntry, spawnServer } from "./spawn-server.js";

// The built warehouse server, spawned over stdio, against the Snowflake emulator (embedded
// DuckDB loaded with servers/warehouse/catalog/example-schema.sql): the shipped catalog's
// SQL runs here unchanged.

let sandbox: Sandbox;
let warehouse: SpawnedServer;

type Page = {
  rows: Array<Record<string, unknown>>;
  total_rows: number;
  truncated: boolean;
  cursor: string | null;
};

beforeAll(async () => {
  sandbox = await startSandbox({ accounts: 200, vendors: ["snowflake"], ports: { snowflake: 0 } });
  warehouse = await spawnServer("warehouse", { ...sandbox.env, WAREHOUSE_RESULT_CHAR_BUDGET: "4000" });
});
afterAll(async () => {
  await warehouse?.close();
  await sandbox?.stop();
});

async function call(name: string, args: Record<string, unknown>): Promise<Page> {
  const { data, error } = await warehouse.call(name, args);
  expect(error).toBeUndefined();
  return data as Page;
}

describe("warehouse server against the Snowflake emulator", () => {
  it("get_account_usage returns the account's daily rows, newest first", async () => {
    const account = sandbox.book.accounts[0]!;
    const page = await call("get_account_usage", { domain: account.domain, days: 14 });
    expect(page.rows.length).toBeGreaterThan(0);
    const dates = page.rows.map((r) => r.usage_date as string);
    expect(dates).toEqual([...dates].sort().reverse());
    expect(page.rows.every((r) => r.domain === account.domain && typeof r.active_users === "number")).toBe(
      true,
    );
  });

  it("list_accounts_by_segment ranks by ARR and pages through the stored result with the cursor", async () => {
    const args = { segment: "enterprise", limit: 60 };
    let page = await call("list_accounts_by_segment", args);
    expect(page.truncated).toBe(true);
    const ranks = page.rows.map((r) => r.rank_in_segment as number);
    while (page.cursor) {
      page = await call("list_accounts_by_segment", { ...args, cursor: page.cursor });
      ranks.push(...page.rows.map((r) => r.rank_in_segment as number));
    }
    expect(ranks).toEqual(Array.from({ length: ranks.length }, (_, i) => i + 1));
    expect(ranks.length).toBe(page.total_rows);
  });

  it("get_pipeline_summary and find_expansion_candidates run with and without their optional parameters", async () => {
    const summary = await call("get_pipeline_summary", { quarter: "2026-Q4" });
    expect(
      summary.rows.every((r) => typeof r.stage === "string" && typeof r.opportunity_count === "number"),
    ).toBe(true);
    const nobody = await call("get_pipeline_summary", { quarter: "2026-Q4", owner: "nobody@example.com" });
    expect(nobody.rows).toEqual([]);
    const candidates = await call("find_expansion_candidates", { min_seat_utilization: 0.1, limit: 10 });
    expect(candidates.rows.length).toBeGreaterThan(0);
    const utilization = candidates.rows.map((r) => r.seat_utilization as number);
    expect(utilization).toEqual([...utilization].sort((a, b) => b - a));
    const smb = await call("find_expansion_candidates", {
      min_seat_utilization: 0.1,
      segment: "smb",
      limit: 10,
    });
    expect(smb.rows.every((r) => r.segment === "smb")).toBe(true);
  });
});

describe("warehouse server in staging mode against the Snowflake emulator", () => {
  it("passes the identity and role checks (SHOW GRANTS TO ROLE) with a key-pair JWT, then serves", async () => {
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const { SNOWFLAKE_TOKEN: _token, SNOWFLAKE_TOKEN_TYPE: _type, ...env } = sandbox.env;
    const staging = await spawnStdioServer({
      entry: serverEntry("warehouse"),
      clientName: "sandbox-e2e-staging",
      env: {
        ...env,
        GTM_ENV: "staging",
        SNOWFLAKE_PRIVATE_KEY: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
      },
    });
    try {
      const { data, error } = await staging.call("get_pipeline_summary", { quarter: "2026-Q4" });
      expect(error).toBeUndefined();
      expect((data as Page).rows.length).toBeGreaterThan(0);
    } finally {
      await staging.close();
    }
  });
});
