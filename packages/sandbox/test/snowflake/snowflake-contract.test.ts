import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../../src/index.js";
import { call } from "../support/http.js";

let sandbox: Sandbox;
const headers = {
  authorization: "Bearer sandbox-snowflake-pat",
  "x-snowflake-authorization-token-type": "PROGRAMMATIC_ACCESS_TOKEN",
  "user-agent": "gtm-mcp-test/1.0",
};
const submit = (body: Record<string, unknown>, query = "", h: Record<string, string> = headers) =>
  call(`${sandbox.urls.snowflake}/api/v2/statements${query}`, { headers: h, body });

beforeAll(async () => {
  sandbox = await startSandbox({
    accounts: 150,
    vendors: ["snowflake"],
    ports: { snowflake: 0 },
    snowflake: { partitionRows: 1_000 },
  });
});
afterAll(() => sandbox.stop());

describe("Snowflake SQL API emulator", () => {
  it("answers the identity query with the session's account, user and role", async () => {
    const answer = await submit({ statement: "SELECT CURRENT_ACCOUNT(), CURRENT_USER(), CURRENT_ROLE()" });
    expect(answer.status).toBe(200);
    expect(answer.body.resultSetMetaData.rowType.map((c: { name: string }) => c.name)).toEqual([
      "CURRENT_ACCOUNT()",
      "CURRENT_USER()",
      "CURRENT_ROLE()",
    ]);
    expect(answer.body.data).toEqual([["SANDBOX", "GTM_AGENT", "GTM_ANALYST"]]);
    expect(answer.body).toMatchObject({
      code: "090001",
      sqlState: "00000",
      statementHandle: expect.any(String),
    });
  });

  it("takes the user from a key-pair JWT's subject and refuses an expired one", async () => {
    const jwt = (claims: object) =>
      `${Buffer.from('{"alg":"RS256"}').toString("base64url")}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.c2ln`;
    const now = Math.floor(Date.now() / 1000);
    const as = (token: string) => ({
      ...headers,
      authorization: `Bearer ${token}`,
      "x-snowflake-authorization-token-type": "KEYPAIR_JWT",
    });
    const good = jwt({ iss: "ACME.ANALYST.SHA256:abc=", sub: "ACME.ANALYST", iat: now, exp: now + 3000 });
    const answer = await submit({ statement: "SELECT CURRENT_USER()" }, "", as(good));
    expect(answer.body.data).toEqual([["ANALYST"]]);
    const expired = jwt({
      iss: "ACME.ANALYST.SHA256:abc=",
      sub: "ACME.ANALYST",
      iat: now - 7200,
      exp: now - 3600,
    });
    expect((await submit({ statement: "SELECT 1" }, "", as(expired))).status).toBe(401);
    expect((await submit({ statement: "SELECT 1" }, "", { "user-agent": "x" })).status).toBe(401);
  });

  it("encodes jsonv2 from the engine's types: FIXED with scale, DATE as days, TIMESTAMP_NTZ as epoch seconds, BOOLEAN", async () => {
    const answer = await submit({
      statement:
        "SELECT ARR, CREATED_AT, CAST('2024-01-01' AS DATE) AS D, TRUE AS B, 1.5::DOUBLE AS R, CAST(7 AS INTEGER) AS N, NAME FROM ACCOUNTS WHERE ACCOUNT_ID = ?",
      bindings: { "1": { type: "TEXT", value: "ACC-00001" } },
    });
    expect(answer.status).toBe(200);
    const types = answer.body.resultSetMetaData.rowType.map(
      (c: { name: string; type: string; scale: number | null; precision: number | null }) => [
        c.name,
        c.type,
        c.precision,
        c.scale,
      ],
    );
    expect(types).toEqual([
      ["ARR", "fixed", 12, 2],
      ["CREATED_AT", "timestamp_ntz", 0, 9],
      ["D", "date", null, null],
      ["B", "boolean", null, null],
      ["R", "real", null, null],
      ["N", "fixed", 38, 0],
      ["NAME", "text", null, null],
    ]);
    const [arr, created, d, b, r, n, name] = answer.body.data[0];
    expect(arr).toBe(sandbox.book.accounts[0]!.arr);
    expect(arr).toMatch(/^\d+\.\d{2}$/);
    expect(created).toMatch(/^\d{10}\.\d{9}$/);
    expect(d).toBe("19723");
    expect([b, r, n, name]).toEqual(["true", "1.5", "7", sandbox.book.accounts[0]!.name]);
  });

  it("runs the catalog's portable SQL: CURRENT_DATE - CAST(? AS INTEGER), DATE_TRUNC, FIXED bindings", async () => {
    const answer = await submit({
      statement: `SELECT a.ACCOUNT_ID, SUM(u.ACTIVE_USERS) AS ACTIVE, MAX(u.SEATS_PURCHASED) AS SEATS
        FROM ACCOUNTS a JOIN PRODUCT_USAGE_DAILY u ON u.ACCOUNT_ID = a.ACCOUNT_ID
        WHERE u.USAGE_DATE >= CURRENT_DATE - CAST(? AS INTEGER) AND a.SEGMENT = ?
        GROUP BY a.ACCOUNT_ID ORDER BY a.ACCOUNT_ID LIMIT ?`,
      bindings: {
        "1": { type: "FIXED", value: "30" },
        "2": { type: "TEXT", value: "smb" },
        "3": { type: "FIXED", value: "5" },
      },
    });
    expect(answer.status).toBe(200);
    expect(answer.body.data).toHaveLength(5);
    const quarters = await submit({
      statement:
        "SELECT DATE_TRUNC('quarter', CLOSE_DATE) AS Q, COUNT(*) AS N FROM OPPORTUNITIES GROUP BY 1 ORDER BY 1",
    });
    expect(quarters.status).toBe(200);
    expect(quarters.body.data.length).toBeGreaterThan(1);
    // Snowflake truncates a DATE to a DATE: days since the epoch, on a quarter's first day.
    expect(quarters.body.resultSetMetaData.rowType[0]).toMatchObject({ name: "Q", type: "date" });
    const firstDay = new Date(Number(quarters.body.data[0][0]) * 86_400_000);
    expect([0, 3, 6, 9]).toContain(firstDay.getUTCMonth());
    expect(firstDay.getUTCDate()).toBe(1);
  });

  it("splits a large result into partitions; later partitions carry data only", async () => {
    const first = await submit({
      statement: "SELECT ACCOUNT_ID, USAGE_DATE FROM PRODUCT_USAGE_DAILY ORDER BY 1, 2",
    });
    const meta = first.body.resultSetMetaData;
    expect(meta.numRows).toBe(150 * 90);
    expect(meta.partitionInfo).toHaveLength(14);
    expect(meta.partitionInfo[0]).toMatchObject({ rowCount: 1_000, uncompressedSize: expect.any(Number) });
    expect(first.body.data).toHaveLength(1_000);
    const last = await call(
      `${sandbox.urls.snowflake}/api/v2/statements/${first.body.statementHandle}?partition=13`,
      { headers },
    );
    expect(last.status).toBe(200);
    expect(Object.keys(last.body)).toEqual(["data"]);
    expect(last.body.data).toHaveLength(500);
  });

  it("resubmitting the same requestId with retry=true does not run the statement again", async () => {
    const requestId = randomUUID();
    const first = await submit({ statement: "SELECT COUNT(*) FROM ACCOUNTS" }, `?requestId=${requestId}`);
    const again = await submit(
      { statement: "SELECT COUNT(*) FROM ACCOUNTS" },
      `?requestId=${requestId}&retry=true`,
    );
    expect(again.body.statementHandle).toBe(first.body.statementHandle);
    const state = await sandbox.admin.state<{
      statements: Array<{ requestId: string; submissions: number; executions: number }>;
    }>("snowflake");
    expect(state.statements.find((s) => s.requestId === requestId)).toMatchObject({
      submissions: 2,
      executions: 1,
    });
  });

  it("answers async=true with 202 333334, then the result when polled; cancels a running statement", async () => {
    const started = await submit({ statement: "SELECT SYSTEM$WAIT(1)" }, "?async=true");
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({
      code: "333334",
      statementHandle: expect.any(String),
      statementStatusUrl: expect.stringContaining("/api/v2/statements/"),
    });
    const url = `${sandbox.urls.snowflake}/api/v2/statements/${started.body.statementHandle}`;
    let polled = await call(url, { headers });
    for (let i = 0; i < 100 && polled.status === 202; i++) {
      await new Promise((r) => setTimeout(r, 100));
      polled = await call(url, { headers });
    }
    expect(polled.status).toBe(200);
    expect(polled.body.data).toEqual([["waited 1 seconds"]]);

    const slow = await submit({ statement: "SELECT SYSTEM$WAIT(60)" }, "?async=true");
    const cancel = await call(
      `${sandbox.urls.snowflake}/api/v2/statements/${slow.body.statementHandle}/cancel`,
      { headers, method: "POST" },
    );
    expect(cancel.status).toBe(200);
    const after = await call(`${sandbox.urls.snowflake}/api/v2/statements/${slow.body.statementHandle}`, {
      headers,
    });
    expect(after).toMatchObject({ status: 422, body: { code: "000604", sqlState: "57014" } });
  });

  it("fails a statement past its timeout with 408 and an unknown handle with 404", async () => {
    const timedOut = await submit({ statement: "SELECT SYSTEM$WAIT(30)", timeout: 1 });
    expect(timedOut).toMatchObject({ status: 408, body: { code: "000630", sqlState: "57014" } });
    expect(
      (await call(`${sandbox.urls.snowflake}/api/v2/statements/${randomUUID()}`, { headers })).status,
    ).toBe(404);
  });

  it("answers SQL errors 422 with Snowflake's codes, and refuses writes for the read-only role", async () => {
    const missing = await submit({ statement: "SELECT NOPE FROM ACCOUNTS" });
    expect(missing).toMatchObject({
      status: 422,
      body: { code: "000904", sqlState: "42000", statementHandle: expect.any(String) },
    });
    expect(missing.body.message).toMatch(/^SQL compilation error/);
    expect((await submit({ statement: "SELEC 1" })).body.code).toBe("001003");
    expect((await submit({ statement: "SELECT * FROM NO_TABLE" })).body).toMatchObject({
      code: "002003",
      sqlState: "42S02",
    });
    expect((await submit({ statement: "DELETE FROM ACCOUNTS" })).body).toMatchObject({
      code: "003001",
      sqlState: "42501",
    });
    expect((await submit({ statement: "SELECT ?", bindings: {} })).status).toBe(422);
    expect((await submit({ statement: "" })).body.code).toBe("390142");
    const count = await submit({ statement: "SELECT COUNT(*) FROM ACCOUNTS" });
    expect(count.body.data).toEqual([["150"]]);
  });
});

describe("SHOW GRANTS TO ROLE (emulated: the engine has no roles)", () => {
  it("lists the session role's read-only grants, PUBLIC's none, and refuses an unknown role with 002003", async () => {
    const own = await submit({ statement: 'SHOW GRANTS TO ROLE "GTM_ANALYST"', role: "GTM_ANALYST" });
    expect(own.status).toBe(200);
    const meta = own.body.resultSetMetaData;
    expect(meta.rowType.map((c: { name: string; type: string }) => `${c.name}:${c.type}`)).toEqual([
      "created_on:timestamp_ltz",
      "privilege:text",
      "granted_on:text",
      "name:text",
      "granted_to:text",
      "grantee_name:text",
      "grant_option:text",
      "granted_by:text",
    ]);
    const rows = own.body.data as string[][];
    expect(rows.map((r) => `${r[1]} ${r[2]} ${r[3]}`)).toEqual([
      "USAGE WAREHOUSE GTM_WH",
      "USAGE DATABASE GTM",
      "USAGE SCHEMA GTM.PUBLIC",
      "SELECT TABLE GTM.PUBLIC.ACCOUNTS",
      "SELECT TABLE GTM.PUBLIC.PRODUCT_USAGE_DAILY",
      "SELECT TABLE GTM.PUBLIC.OPPORTUNITIES",
      "USAGE ROLE PUBLIC",
    ]);
    expect(rows.every((r) => r[4] === "ROLE" && r[5] === "GTM_ANALYST" && r[6] === "false")).toBe(true);
    // Unquoted folds to upper case, as Snowflake does.
    const unquoted = await submit({ statement: "show grants to role gtm_analyst", role: "GTM_ANALYST" });
    expect(unquoted.body.data).toEqual(rows);
    const pub = await submit({ statement: 'SHOW GRANTS TO ROLE "PUBLIC"' });
    expect(pub.body).toMatchObject({ resultSetMetaData: { numRows: 0 }, data: [] });
    const other = await submit({ statement: 'SHOW GRANTS TO ROLE "USERADMIN"', role: "GTM_ANALYST" });
    expect(other.status).toBe(422);
    expect(other.body).toMatchObject({ code: "002003", sqlState: "02000" });
    expect(other.body.message).toContain("Role 'USERADMIN' does not exist or not authorized.");
  });
});

describe("Snowflake emulator engine isolation", () => {
  it("cannot read the machine's files or change the engine's configuration", async () => {
    const read = await submit({ statement: "SELECT * FROM read_csv('/etc/hostname')" });
    expect(read.status).toBe(422);
    const set = await submit({ statement: "SELECT current_setting('enable_external_access') AS X" });
    expect(set.body.data).toEqual([["false"]]);
  });
});
