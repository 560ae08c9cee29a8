import { createStateSeal } from "@gtm-mcp/tool-kit/tools";
import { describe, expect, it } from "vitest";
import { type CatalogEntry, loadCatalog } from "../../src/catalog/load-catalog.js";
import { argsDigest } from "../../src/tools/result-cursor.js";
import { connectWarehouse, SEGMENT_ROW_TYPE, segmentRows, TOKEN } from "../support/connect.js";
import { COMPILATION_ERROR } from "../support/snowflake-stub.js";

const segmentPlan =
  (rows: Array<Array<string | null>>, extra = {}) =>
  () => ({
    rowType: SEGMENT_ROW_TYPE,
    rows,
    ...extra,
  });

describe("a catalog query", () => {
  it("answers from a synchronous result, typed by rowType, sending bindings and the statement context", async () => {
    const w = await connectWarehouse({ plan: segmentPlan(segmentRows(2)) });
    const { data } = await w.call("list_accounts_by_segment", { segment: "enterprise", min_arr: 5000 });
    expect(data).toEqual({
      rows: [
        {
          rank_in_segment: 1,
          account_id: "acc-1",
          domain: "account1.com",
          name: "Account 1",
          segment: "enterprise",
          arr: 100000,
          owner_email: "rep0@example.com",
          plan: "growth",
          created_at: "2023-11-14T22:13:20.000",
        },
        expect.objectContaining({ rank_in_segment: 2, arr: 99999 }),
      ],
      offset: 0,
      row_count: 2,
      total_rows: 2,
      truncated: false,
      truncated_by: null,
      cursor: null,
    });
    const [submit] = w.stub.submits();
    expect(submit!.query.get("requestId")).toBe(w.requestIds[0]);
    expect(submit!.query.get("retry")).toBeNull();
    expect(submit!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(submit!.headers["x-snowflake-authorization-token-type"]).toBe("OAUTH");
    expect(submit!.headers["user-agent"]).toBeTruthy();
    expect(submit!.body).toMatchObject({
      role: "GTM_READ_ONLY",
      warehouse: "GTM_WH",
      database: "GTM",
      schema: "PUBLIC",
      timeout: 30,
      bindings: {
        "1": { type: "TEXT", value: "enterprise" },
        "2": { type: "REAL", value: "5000" },
        "3": { type: "FIXED", value: "50" },
      },
    });
  });

  it("keeps a hostile value in the bindings, never in the statement text", async () => {
    const hostile = "x' OR 1=1 --";
    const byName: CatalogEntry = {
      name: "find_account_by_name",
      title: "Find account by name",
      description: "Finds accounts by exact name; no match is an empty list.",
      parameters: { name: { type: "string", description: "Exact account name" } },
      sql: "SELECT ACCOUNT_ID FROM ACCOUNTS WHERE NAME = :name",
      statement: "SELECT ACCOUNT_ID FROM ACCOUNTS WHERE NAME = ?",
      bindOrder: ["name"],
      columns: [{ name: "account_id", type: "string", description: "Id" }],
      row_limit: 10,
      timeout_seconds: 5,
    };
    const w = await connectWarehouse({
      catalog: [byName, ...loadCatalog()],
      plan: () => ({ rowType: [{ name: "ACCOUNT_ID", type: "text" }], rows: [] }),
    });
    const { data } = await w.call("find_account_by_name", { name: hostile });
    expect(data).toMatchObject({ rows: [], total_rows: 0, truncated: false });
    const sent = w.stub.statements[0]!;
    expect(sent.statement).toBe("SELECT ACCOUNT_ID FROM ACCOUNTS WHERE NAME = ?");
    expect(sent.bindings).toEqual({ "1": { type: "TEXT", value: hostile } });
    expect(JSON.stringify(sent.body.statement)).not.toContain("OR 1=1");

    // A shipped query with a constrained parameter refuses it as input before anything is sent.
    const rejected = await w.call("get_pipeline_summary", { quarter: "2026-Q4", owner: hostile });
    expect(rejected.error).toMatchObject({ code: "INVALID_INPUT", field: "owner" });
    const owner = "x'OR'1'='1'--@x.com";
    await w.call("get_pipeline_summary", { quarter: "2026-Q4", owner });
    const pipeline = w.stub.statements[1]!;
    expect(pipeline.statement).not.toContain("1'='1");
    expect(pipeline.statement).toContain("DATE_TRUNC('quarter', o.CLOSE_DATE) = CAST(? AS DATE)");
    expect(pipeline.bindings).toEqual({
      "1": { type: "TEXT", value: "2026-10-01" },
      "2": { type: "TEXT", value: owner },
      "3": { type: "TEXT", value: owner },
    });
  });

  it("binds a missing optional parameter as NULL", async () => {
    const w = await connectWarehouse({ plan: () => ({ rowType: [], rows: [] }) });
    await w.call("get_pipeline_summary", { quarter: "2026-Q1" });
    expect(w.stub.statements[0]!.bindings["2"]).toEqual({ type: "TEXT", value: null });
  });

  it("polls a 202 with backoff until the result, sending progress to a client that asked", async () => {
    const w = await connectWarehouse({ plan: segmentPlan(segmentRows(3), { polls: 3 }) });
    const progress: Array<{ progress: number; message?: string }> = [];
    const { data } = await w.call(
      "list_accounts_by_segment",
      { segment: "enterprise" },
      { onprogress: (p) => progress.push(p) },
    );
    expect(data).toMatchObject({ row_count: 3, total_rows: 3 });
    const polls = w.stub.requests.filter((r) => r.method === "GET");
    expect(polls).toHaveLength(4);
    expect(polls.every((r) => r.pathname === `/api/v2/statements/${w.stub.statements[0]!.handle}`)).toBe(
      true,
    );
    expect(progress).toHaveLength(3);
    for (const p of progress) expect(p.message).toMatch(/^Snowflake statement running; \d+\.\d s elapsed$/);
    expect(progress.map((p) => p.progress)).toEqual(
      [...progress.map((p) => p.progress)].sort((a, b) => a - b),
    );
  });

  it("sends no progress to a client that did not ask", async () => {
    const w = await connectWarehouse({ plan: segmentPlan(segmentRows(1), { polls: 2 }) });
    const notifications: unknown[] = [];
    w.client.fallbackNotificationHandler = async (n) => {
      notifications.push(n);
    };
    const { data } = await w.call("list_accounts_by_segment", { segment: "smb" });
    expect(data).toMatchObject({ row_count: 1 });
    expect(notifications).toEqual([]);
  });

  it("fetches and merges every partition the page needs", async () => {
    const w = await connectWarehouse({ plan: segmentPlan(segmentRows(25), { partitionSize: 10 }) });
    const { data } = await w.call("list_accounts_by_segment", { segment: "enterprise" });
    expect(data.total_rows).toBe(25);
    expect(data.rows.map((r: { rank_in_segment: number }) => r.rank_in_segment)).toEqual(
      Array.from({ length: 25 }, (_, i) => i + 1),
    );
    const partitions = w.stub.requests.filter((r) => r.method === "GET").map((r) => r.query.get("partition"));
    expect(partitions).toEqual(["1", "2"]);
  });

  it("truncates at the row limit and continues from the stored result with the cursor, without re-executing", async () => {
    const entry = loadCatalog().find((e) => e.name === "list_accounts_by_segment");
    const w = await connectWarehouse({
      catalog: [{ ...entry!, row_limit: 4 }],
      plan: segmentPlan(segmentRows(10), { partitionSize: 3 }),
    });
    const args = { segment: "enterprise", limit: 10 };
    const first = await w.call("list_accounts_by_segment", args);
    expect(first.data).toMatchObject({
      offset: 0,
      row_count: 4,
      total_rows: 10,
      truncated: true,
      truncated_by: "row_limit",
    });
    expect(first.data.cursor).toEqual(expect.any(String));
    const second = await w.call("list_accounts_by_segment", { ...args, cursor: first.data.cursor });
    expect(second.data).toMatchObject({ offset: 4, row_count: 4, truncated: true });
    expect(second.data.rows[0].rank_in_segment).toBe(5);
    const third = await w.call("list_accounts_by_segment", { ...args, cursor: second.data.cursor });
    expect(third.data).toMatchObject({
      offset: 8,
      row_count: 2,
      truncated: false,
      truncated_by: null,
      cursor: null,
    });
    expect(third.data.rows.map((r: { rank_in_segment: number }) => r.rank_in_segment)).toEqual([9, 10]);
    expect(w.stub.submits()).toHaveLength(1);
    expect(w.stub.statements).toHaveLength(1);

    const otherArgs = await w.call("list_accounts_by_segment", {
      segment: "smb",
      limit: 10,
      cursor: first.data.cursor,
    });
    expect(otherArgs.error).toMatchObject({ code: "INVALID_INPUT", field: "cursor" });
    const garbage = await w.call("list_accounts_by_segment", { ...args, cursor: "not-a-cursor-at-all" });
    expect(garbage.error).toMatchObject({ code: "INVALID_INPUT", field: "cursor" });
  });

  it("truncates at the character budget, below the model's tool-output limit", async () => {
    const w = await connectWarehouse({
      plan: segmentPlan(segmentRows(300, " ".padEnd(200, "x"))),
      charBudget: 20_000,
    });
    const { result, data } = await w.call("list_accounts_by_segment", { segment: "enterprise", limit: 300 });
    expect(data).toMatchObject({ truncated: true, truncated_by: "char_budget", total_rows: 300 });
    expect(JSON.stringify(data.rows).length).toBeLessThanOrEqual(20_000);
    expect(data.row_count).toBeGreaterThan(10);
    const text = (result.content as Array<{ text: string }>)[0]!.text;
    expect(text.length).toBeLessThan(25_000);
    const next = await w.call("list_accounts_by_segment", {
      segment: "enterprise",
      limit: 300,
      cursor: data.cursor,
    });
    expect(next.data.offset).toBe(data.row_count);
  });
});

describe("the size budget, from the first row", () => {
  const MB2 = 2 * 1024 * 1024;

  it("clips a lone row of 2 MB cells to the budget, saying which cells and their whole length", async () => {
    const [row] = segmentRows(1);
    row![3] = "x".repeat(MB2); // name: text
    row![5] = "9".repeat(MB2); // arr: a number column, beyond any number
    row![6] = '"\u0001'.repeat(MB2 / 4); // owner_email: characters JSON escapes
    const w = await connectWarehouse({ plan: segmentPlan([row!]) });
    const { result, data } = await w.call("list_accounts_by_segment", { segment: "enterprise" });
    const bytes = Buffer.byteLength(JSON.stringify(result));
    // The rows twice, structured and as text (where JSON escapes are escaped again, so at most
    // twice as long), within the default 30,000-character budget, plus the envelope.
    expect(bytes).toBeLessThan(3 * 30_000 + 2_000);
    expect(JSON.stringify(data.rows).length).toBeLessThanOrEqual(30_000);
    expect(data).toMatchObject({ row_count: 1, total_rows: 1, truncated: false, cursor: null });
    expect(data.clipped_cells).toEqual([
      { row: 0, column: "name", total_chars: MB2 },
      { row: 0, column: "arr", total_chars: MB2 },
      { row: 0, column: "owner_email", total_chars: MB2 / 2 },
    ]);
    expect(data.rows[0].name).toMatch(/^x{5000,}… \[clipped: 2097152 characters in all\]$/);
    expect(data.rows[0].arr).toBeNull();
    expect(data.rows[0].owner_email).toMatch(/… \[clipped: 1048576 characters in all\]$/);
    expect(data.rows[0]).toMatchObject({ account_id: "acc-1", domain: "account1.com", plan: "growth" });
  });

  it("stops a page before a 2 MB row, and clips it alone on the next page", async () => {
    const rows = segmentRows(3);
    rows[1]![3] = "y".repeat(MB2);
    const w = await connectWarehouse({ plan: segmentPlan(rows), charBudget: 5_000 });
    const args = { segment: "enterprise" };
    const first = await w.call("list_accounts_by_segment", args);
    expect(first.data).toMatchObject({ row_count: 1, truncated: true, truncated_by: "char_budget" });
    expect(first.data.clipped_cells).toBeUndefined();
    const second = await w.call("list_accounts_by_segment", { ...args, cursor: first.data.cursor });
    expect(second.data).toMatchObject({
      offset: 1,
      row_count: 1,
      truncated: true,
      truncated_by: "char_budget",
    });
    expect(second.data.clipped_cells).toEqual([{ row: 1, column: "name", total_chars: MB2 }]);
    expect(JSON.stringify(second.data.rows).length).toBeLessThanOrEqual(5_000);
    expect(Buffer.byteLength(JSON.stringify(second.result))).toBeLessThan(3 * 5_000 + 2_000);
    const third = await w.call("list_accounts_by_segment", { ...args, cursor: second.data.cursor });
    expect(third.data).toMatchObject({ offset: 2, row_count: 1, truncated: false });
    expect(third.data.rows[0].account_id).toBe("acc-3");
  });
});

describe("a cursor", () => {
  const pagedCatalog = () => {
    const catalog = loadCatalog();
    return catalog.map((e) => (e.name === "list_accounts_by_segment" ? { ...e, row_limit: 4 } : e));
  };
  const statusReads = (w: Awaited<ReturnType<typeof connectWarehouse>>, handle: string) =>
    w.stub.requests.filter((r) => r.method === "GET" && r.pathname.endsWith(handle)).length;

  it("is refused when moved to another statement's handle with the argument digest recomputed", async () => {
    const w = await connectWarehouse({ catalog: pagedCatalog(), plan: segmentPlan(segmentRows(10)) });
    const mine = { segment: "enterprise", limit: 10 };
    const first = await w.call("list_accounts_by_segment", mine);
    await w.call("list_accounts_by_segment", { segment: "smb", limit: 10 });
    const other = w.stub.statements[1]!.handle;
    // The digest as the server computes it (over the arguments with their defaults).
    const digest = argsDigest({ ...mine, min_arr: 0 });
    // An unsigned cursor (the form cursors had before) naming the other statement: refused.
    const unsigned = Buffer.from(
      JSON.stringify({ v: 1, q: "list_accounts_by_segment", h: other, o: 4, a: digest }),
    ).toString("base64url");
    const old = await w.call("list_accounts_by_segment", { ...mine, cursor: unsigned });
    expect(old.error).toMatchObject({ code: "INVALID_INPUT", field: "cursor" });
    // The sealed payload edited: another statement's handle, the digest recomputed.
    const [payload, tag] = String(first.data.cursor).split(".");
    const sealed = JSON.parse(Buffer.from(payload!, "base64url").toString("utf8"));
    expect(sealed.d.h).toBe(w.stub.statements[0]!.handle);
    expect(sealed.d.a).toBe(digest);
    sealed.d.h = other;
    sealed.d.a = digest;
    const moved = `${Buffer.from(JSON.stringify(sealed)).toString("base64url")}.${tag}`;
    const refused = await w.call("list_accounts_by_segment", { ...mine, cursor: moved });
    expect(refused.error).toMatchObject({ code: "INVALID_INPUT", field: "cursor", retryable: false });
    expect(refused.error!.message).toMatch(/cursor: it is not a cursor list_accounts_by_segment returned/);
    expect(statusReads(w, other)).toBe(0);
    // The untouched cursor still works.
    const next = await w.call("list_accounts_by_segment", { ...mine, cursor: first.data.cursor });
    expect(next.data).toMatchObject({ offset: 4, row_count: 4 });
  });

  it("is refused by another query's tool, and once expired", async () => {
    const secret = "state-secret-for-the-cursor-test-0123456789";
    const w = await connectWarehouse({
      catalog: pagedCatalog(),
      plan: segmentPlan(segmentRows(10)),
      stateSecret: secret,
    });
    const args = { segment: "enterprise", limit: 10 };
    const digest = argsDigest({ ...args, min_arr: 0 });
    const first = await w.call("list_accounts_by_segment", args);
    const handle = w.stub.statements[0]!.handle;
    const expired = createStateSeal(secret).seal(
      "warehouse.cursor:list_accounts_by_segment",
      { q: "list_accounts_by_segment", h: handle, o: 4, a: digest },
      60_000,
      Date.now() - 120_000,
    );
    const late = await w.call("list_accounts_by_segment", { ...args, cursor: expired });
    expect(late.error).toMatchObject({ code: "INVALID_INPUT", field: "cursor" });
    expect(late.error!.message).toMatch(/expired/);
    const fresh = createStateSeal(secret).seal(
      "warehouse.cursor:list_accounts_by_segment",
      { q: "list_accounts_by_segment", h: handle, o: 4, a: digest },
      60_000,
    );
    const sealedHere = await w.call("list_accounts_by_segment", { ...args, cursor: fresh });
    expect(sealedHere.error).toBeUndefined();
    expect(sealedHere.data).toMatchObject({ offset: 4 });
    const elsewhere = await w.call("get_account_usage", { domain: "acme.com", cursor: first.data.cursor });
    expect(elsewhere.error).toMatchObject({ code: "INVALID_INPUT", field: "cursor" });
  });
});

describe("Snowflake's errors", () => {
  it("answers a 422 compilation error with UPSTREAM_REJECTED, Snowflake's code and sqlState, logged at error", async () => {
    const w = await connectWarehouse({ plan: () => ({ fail: COMPILATION_ERROR }) });
    const { error } = await w.call("get_account_usage", { domain: "acme.com" });
    expect(error).toMatchObject({
      code: "UPSTREAM_REJECTED",
      retryable: false,
      upstream: { system: "snowflake", status: 422 },
      details: { snowflakeCode: "000904", sqlState: "42000" },
    });
    expect(error!.message).toMatch(/code 000904, sqlState 42000/);
    expect(w.stub.submits()).toHaveLength(1);
    expect(w.logs().find((l) => l.msg === "catalog query rejected by Snowflake")).toMatchObject({
      level: "error",
    });
  });

  it("resubmits after a 503 with the same requestId and retry=true, and runs the statement once", async () => {
    const w = await connectWarehouse({ plan: segmentPlan(segmentRows(1)) });
    w.stub.failNextSubmits.push({ status: 503 }, { status: 504 });
    const { data } = await w.call("list_accounts_by_segment", { segment: "enterprise" });
    expect(data).toMatchObject({ row_count: 1 });
    const submits = w.stub.submits();
    expect(submits.map((s) => s.query.get("requestId"))).toEqual([
      w.requestIds[0],
      w.requestIds[0],
      w.requestIds[0],
    ]);
    expect(submits.map((s) => s.query.get("retry"))).toEqual([null, "true", "true"]);
    expect(w.stub.statements).toHaveLength(1);
    expect(w.callLines()[0]).toMatchObject({ outcome: "ok", attempts: 3, retried: true });
  });

  it("retries a 429 with the same requestId", async () => {
    const w = await connectWarehouse({ plan: segmentPlan(segmentRows(1)) });
    w.stub.failNextSubmits.push({ status: 429 });
    const { data } = await w.call("list_accounts_by_segment", { segment: "enterprise" });
    expect(data).toMatchObject({ row_count: 1 });
    expect(w.stub.submits().map((s) => [s.query.get("requestId"), s.query.get("retry")])).toEqual([
      [w.requestIds[0], null],
      [w.requestIds[0], "true"],
    ]);
  });

  it("gives RATE_LIMITED (retryable) when the 429s outlast the attempts", async () => {
    const w = await connectWarehouse({ plan: segmentPlan(segmentRows(1)) });
    w.stub.failNextSubmits.push(...Array.from({ length: 6 }, () => ({ status: 429 })));
    const { error } = await w.call("list_accounts_by_segment", { segment: "enterprise" });
    expect(error).toMatchObject({ code: "RATE_LIMITED", retryable: true });
    expect(w.stub.statements).toHaveLength(0);
  });

  it("maps a 408 statement timeout to UPSTREAM_TIMEOUT without retrying it", async () => {
    const w = await connectWarehouse({
      plan: () => ({
        fail: {
          status: 408,
          body: {
            code: "000630",
            message: "Statement reached its statement or warehouse timeout of 30 second(s) and was canceled.",
            sqlState: "57014",
          },
        },
      }),
    });
    const { error } = await w.call("get_account_usage", { domain: "acme.com" });
    expect(error).toMatchObject({ code: "UPSTREAM_TIMEOUT", retryable: true, upstream: { status: 408 } });
    expect(w.stub.submits()).toHaveLength(1);
  });

  it("never shows the token, in results or logs", async () => {
    const w = await connectWarehouse({
      plan: () => ({
        fail: { status: 422, body: { code: "000904", message: `bad ${TOKEN}`, sqlState: "42000" } },
      }),
    });
    const { result } = await w.call("get_account_usage", { domain: "acme.com" });
    expect(JSON.stringify(result)).not.toContain(TOKEN);
    expect(JSON.stringify(w.logs())).not.toContain(TOKEN);
  });
});

describe("list_queries", () => {
  it("lists every catalog query with its parameters and columns, without contacting Snowflake", async () => {
    const w = await connectWarehouse();
    const { tools } = await w.client.listTools();
    expect(tools.map((t) => t.name)).toEqual([
      "list_queries",
      "get_account_usage",
      "list_accounts_by_segment",
      "get_pipeline_summary",
      "find_expansion_candidates",
    ]);
    const usage = tools.find((t) => t.name === "get_account_usage")!;
    expect(usage.annotations).toMatchObject({ readOnlyHint: true });
    expect(usage.inputSchema.required).toEqual(["domain"]);
    const { data } = await w.call("list_queries", {});
    expect(data.queries).toHaveLength(4);
    expect(data.queries[2]).toMatchObject({
      name: "get_pipeline_summary",
      parameters: [
        { name: "quarter", type: "quarter", required: true },
        { name: "owner", type: "string", required: false },
      ],
    });
    expect(w.stub.requests).toHaveLength(0);
  });
});
