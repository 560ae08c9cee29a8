import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { waitFor } from "@gtm-mcp/tool-kit/testing";
import { Client } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { SEGMENT_ROW_TYPE, segmentRows } from "./support/connect.js";
import { COMPILATION_ERROR, type SnowflakeStub, startSnowflakeStub } from "./support/snowflake-stub.js";

const entry = join(dirname(fileURLToPath(import.meta.url)), "..", "dist", "main.js");
const TOKEN = "sf-pat-E2E-CANARY-7c4a8d09ca3762af61e5";
let stub: SnowflakeStub | undefined;

beforeAll(() => {
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`pnpm build\` first (pnpm test does)`);
});
afterEach(async () => {
  await stub?.close();
  stub = undefined;
});

type Result = Awaited<ReturnType<Client["callTool"]>>;
const errorOf = (result: Result) => JSON.parse((result.content as Array<{ text: string }>)[0]!.text).error;

describe("the built warehouse server over stdio (sandbox)", () => {
  it("serves the catalog to a real MCP client: paging, progress, errors and cancellation, logging no secret", async () => {
    stub = await startSnowflakeStub({
      authorize: (r) => r.headers.authorization === `Bearer ${TOKEN}`,
      plan: (statement) => {
        if (statement.includes("PRODUCT_USAGE_DAILY u ON")) return { fail: COMPILATION_ERROR };
        if (statement.includes("WITH recent_usage")) return { rowType: SEGMENT_ROW_TYPE, hang: true };
        return { rowType: SEGMENT_ROW_TYPE, rows: segmentRows(30), partitionSize: 7, polls: 2 };
      },
    });
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [entry],
      env: {
        PATH: process.env.PATH ?? "",
        GTM_ENV: "sandbox",
        GTM_LOG_LEVEL: "debug",
        SNOWFLAKE_BASE_URL: stub.url,
        SNOWFLAKE_TOKEN: TOKEN,
        SNOWFLAKE_TOKEN_TYPE: "PROGRAMMATIC_ACCESS_TOKEN",
        SNOWFLAKE_ROLE: "GTM_READ_ONLY",
        WAREHOUSE_RESULT_CHAR_BUDGET: "2000",
      },
      stderr: "pipe",
    });
    let stderr = "";
    transport.stderr?.on("data", (chunk) => {
      stderr += chunk;
    });
    const client = new Client({ name: "e2e", version: "1.0.0" });
    await client.connect(transport);
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toEqual([
        "list_queries",
        "get_account_usage",
        "list_accounts_by_segment",
        "get_pipeline_summary",
        "find_expansion_candidates",
      ]);

      const progress: number[] = [];
      const args = { segment: "enterprise", limit: 30 };
      const first = await client.callTool(
        { name: "list_accounts_by_segment", arguments: args },
        { onprogress: (p) => progress.push(p.progress) },
      );
      const page1 = first.structuredContent as {
        rows: unknown[];
        truncated: boolean;
        cursor: string;
        total_rows: number;
      };
      expect(page1).toMatchObject({ truncated: true, truncated_by: "char_budget", total_rows: 30 });
      expect(progress).toHaveLength(2);
      let seen = page1.rows.length;
      let cursor: string | null = page1.cursor;
      while (cursor) {
        const next = await client.callTool({
          name: "list_accounts_by_segment",
          arguments: { ...args, cursor },
        });
        const page = next.structuredContent as {
          rows: Array<{ rank_in_segment: number }>;
          offset: number;
          cursor: string | null;
        };
        expect(page.offset).toBe(seen);
        expect(page.rows[0]!.rank_in_segment).toBe(seen + 1);
        seen += page.rows.length;
        cursor = page.cursor;
      }
      expect(seen).toBe(30);
      expect(stub.statements.filter((s) => s.statement.includes("RANK_IN_SEGMENT"))).toHaveLength(1);

      const rejected = await client.callTool({
        name: "get_account_usage",
        arguments: { domain: "acme.com" },
      });
      expect(errorOf(rejected)).toMatchObject({ code: "UPSTREAM_REJECTED", details: { sqlState: "42000" } });

      const controller = new AbortController();
      const hanging = client.callTool(
        { name: "find_expansion_candidates", arguments: {} },
        { signal: controller.signal },
      );
      await waitFor(() =>
        stub!.requests.some(
          (r) => r.method === "GET" && stub!.statements.at(-1)!.statement.includes("WITH recent_usage"),
        ),
      );
      controller.abort(new Error("user cancelled"));
      await expect(hanging).rejects.toThrow();
      await waitFor(() => stub!.cancels.length === 1);
      expect(stub.cancels).toEqual([stub.statements.at(-1)!.handle]);
      await waitFor(() => stderr.includes('"outcome":"cancelled"'));
    } finally {
      await client.close();
    }
    expect(
      stub.requests.every(
        (r) => r.headers["x-snowflake-authorization-token-type"] === "PROGRAMMATIC_ACCESS_TOKEN",
      ),
    ).toBe(true);
    expect(stderr).toContain('"event":"tool_call"');
    expect(stderr).not.toContain(TOKEN);
  });

  it("serves in the sandbox without a configured credential (the emulator takes a placeholder token)", async () => {
    stub = await startSnowflakeStub({
      plan: () => ({ rowType: SEGMENT_ROW_TYPE, rows: segmentRows(2) }),
    });
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [entry],
      env: { PATH: process.env.PATH ?? "", GTM_ENV: "sandbox", SNOWFLAKE_BASE_URL: stub.url },
      stderr: "pipe",
    });
    const client = new Client({ name: "e2e", version: "1.0.0" });
    await client.connect(transport);
    try {
      const result = await client.callTool({
        name: "list_accounts_by_segment",
        arguments: { segment: "smb" },
      });
      expect(result.structuredContent).toMatchObject({ row_count: 2 });
    } finally {
      await client.close();
    }
    expect(stub.requests[0]!.headers["x-snowflake-authorization-token-type"]).toBe(
      "PROGRAMMATIC_ACCESS_TOKEN",
    );
  });
});
