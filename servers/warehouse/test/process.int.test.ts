import { spawn } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { runToExit, sendHttpRequest, spawnHttpServer } from "@gtm-mcp/tool-kit/testing";
import { Client } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { jwtVerify } from "jose";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SEGMENT_ROW_TYPE, segmentRows } from "./support/connect.js";
import { type SnowflakeStub, startSnowflakeStub } from "./support/snowflake-stub.js";

const HTTP_TOKEN = "tok-metrics-0123456789abcdef";

const entry = join(dirname(fileURLToPath(import.meta.url)), "..", "dist", "main.js");
const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const PEM = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
let dir: string;
let stub: SnowflakeStub | undefined;

beforeAll(() => {
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`pnpm build\` first (pnpm test does)`);
});
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "warehouse-process-"));
});
afterEach(async () => {
  await stub?.close();
  stub = undefined;
  rmSync(dir, { recursive: true, force: true });
});

/** Runs the built server until it exits (a refusal to start), giving up after 45 s. */
const runUntilExit = (env: Record<string, string>) => runToExit({ entry, env, timeoutMs: 45_000 });

const stagingEnv = (baseUrl: string, role = "GTM_READ_ONLY") => ({
  GTM_ENV: "staging",
  GTM_STATE_URL: `sqlite:${join(dir, "state.sqlite")}`,
  SNOWFLAKE_BASE_URL: baseUrl,
  SNOWFLAKE_ACCOUNT: "xy12345.us-east-1",
  SNOWFLAKE_USER: "gtm_reader",
  SNOWFLAKE_ROLE: role,
  SNOWFLAKE_PRIVATE_KEY: PEM,
});

describe("the built warehouse server refuses to start", () => {
  it("when a catalog entry is bad: exit 2, one line naming the entry and the problem", async () => {
    const file = join(dir, "catalog.yaml");
    writeFileSync(
      file,
      [
        "version: 1",
        "queries:",
        "  - name: drop_everything",
        "    title: Drop",
        "    description: Removes every table there is, for good.",
        "    sql: DROP TABLE ACCOUNTS",
        "    columns: [{ name: x, type: string, description: x }]",
        "    row_limit: 1",
        "    timeout_seconds: 1",
      ].join("\n"),
    );
    const { code, stdout, stderr } = await runUntilExit({
      GTM_ENV: "sandbox",
      SNOWFLAKE_TOKEN: "sandbox-token",
      WAREHOUSE_CATALOG: file,
    });
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(stderr).toMatch(
      /^gtm-mcp-warehouse: refusing to start: catalog .*catalog\.yaml: entry "drop_everything": sql: the statement must be a SELECT or WITH query/,
    );
  });

  it("when SNOWFLAKE_ROLE is an administrative role", async () => {
    const { code, stderr } = await runUntilExit(stagingEnv("http://127.0.0.1:9", "accountadmin"));
    expect(code).toBe(2);
    expect(stderr).toMatch(/SNOWFLAKE_ROLE.*administrative role is refused/);
    expect(stderr).not.toContain("PRIVATE KEY");
  });

  it("when the credential's session runs as an administrative role: names expected and actual, never the key", async () => {
    stub = await startSnowflakeStub({
      identity: { account: "XY12345", user: "GTM_READER", role: "ACCOUNTADMIN" },
    });
    const { code, stderr } = await runUntilExit(stagingEnv(stub.url));
    expect(code).toBe(2);
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(stderr).toMatch(
      /Snowflake identity check failed: role GTM_READ_ONLY expected, session has ACCOUNTADMIN; role ACCOUNTADMIN is administrative/,
    );
    expect(stderr).not.toContain("PRIVATE KEY");
  });

  it("when SNOWFLAKE_ROLE is USERADMIN (it manages users and roles)", async () => {
    const { code, stderr } = await runUntilExit(stagingEnv("http://127.0.0.1:9", "UserAdmin"));
    expect(code).toBe(2);
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(stderr).toMatch(/SNOWFLAKE_ROLE.*administrative role is refused \(.*USERADMIN/);
  });

  it("when the session role inherits an administrative role: one line naming the path, never the key", async () => {
    stub = await startSnowflakeStub({
      grants: {
        GTM_READ_ONLY: [{ privilege: "USAGE", granted_on: "ROLE", name: "ANALYST" }],
        ANALYST: [{ privilege: "USAGE", granted_on: "ROLE", name: "USERADMIN" }],
      },
    });
    const { code, stderr } = await runUntilExit(stagingEnv(stub.url));
    expect(code).toBe(2);
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(stderr).toContain(
      "Snowflake role check failed: role GTM_READ_ONLY can grant privileges or manage users: GTM_READ_ONLY > ANALYST inherits USERADMIN",
    );
    expect(stderr).not.toContain("PRIVATE KEY");
  });

  it("when the credential belongs to another account (production's key in staging)", async () => {
    stub = await startSnowflakeStub({
      identity: { account: "PROD999", user: "GTM_READER", role: "GTM_READ_ONLY" },
    });
    const { code, stderr } = await runUntilExit(stagingEnv(stub.url));
    expect(code).toBe(2);
    expect(stderr).toMatch(/account XY12345 expected, credential is PROD999/);
  });

  it("when no credential is configured outside the sandbox", async () => {
    const { SNOWFLAKE_PRIVATE_KEY: _key, ...noKey } = stagingEnv("http://127.0.0.1:9");
    const { code, stderr } = await runUntilExit(noKey);
    expect(code).toBe(2);
    expect(stderr).toMatch(/set SNOWFLAKE_PRIVATE_KEY .* or SNOWFLAKE_TOKEN/);
  });
});

describe("the built warehouse server in staging", () => {
  it("checks the identity with a key-pair JWT Snowflake can verify, then serves", async () => {
    const seen: Array<Record<string, unknown>> = [];
    stub = await startSnowflakeStub({
      authorize: async (request) => {
        if (request.headers["x-snowflake-authorization-token-type"] !== "KEYPAIR_JWT") return false;
        const token = String(request.headers.authorization).replace(/^Bearer /, "");
        try {
          const { payload } = await jwtVerify(token, publicKey);
          seen.push(payload);
          return true;
        } catch {
          return false;
        }
      },
    });
    const child = spawn(process.execPath, [entry], {
      env: { PATH: process.env.PATH ?? "", ...stagingEnv(stub.url) },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stderr = "";
    const serving = new Promise<void>((resolve, reject) => {
      child.stderr.on("data", (d) => {
        stderr += d;
        if (stderr.includes("serving MCP")) resolve();
      });
      child.on("exit", (code) => reject(new Error(`exited ${code}: ${stderr}`)));
    });
    await serving;
    child.stdin.end();
    await new Promise((resolve) => child.on("exit", resolve));
    expect(stub.statements[0]!.statement).toBe("SELECT CURRENT_ACCOUNT(), CURRENT_USER(), CURRENT_ROLE()");
    expect(stub.statements[0]!.body).toMatchObject({ role: "GTM_READ_ONLY" });
    expect(seen[0]).toMatchObject({
      sub: "XY12345.GTM_READER",
      iss: expect.stringMatching(/^XY12345\.GTM_READER\.SHA256:/),
    });
    expect(stderr).toContain("Snowflake identity verified");
    expect(stderr).not.toContain("PRIVATE KEY");
  });
});

describe("the JWT the server mints in key-pair mode", () => {
  it("is redacted when Snowflake echoes it: in a text cell, in an error, in the logs", async () => {
    const jwts = new Set<string>();
    stub = await startSnowflakeStub({
      plan: (statement, _bindings, request) => {
        const jwt = String(request.headers.authorization).replace(/^Bearer /, "");
        jwts.add(jwt);
        if (statement.includes("WITH recent_usage"))
          return {
            fail: { status: 422, body: { code: "000904", message: `bad token ${jwt}`, sqlState: "42000" } },
          };
        const rows = segmentRows(2);
        rows[0]![3] = jwt;
        rows[1]![3] = `Bearer ${jwt} (echoed)`;
        return { rowType: SEGMENT_ROW_TYPE, rows };
      },
    });
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [entry],
      env: { PATH: process.env.PATH ?? "", GTM_LOG_LEVEL: "debug", ...stagingEnv(stub.url) },
      stderr: "pipe",
    });
    let stderr = "";
    transport.stderr?.on("data", (chunk) => {
      stderr += chunk;
    });
    const client = new Client({ name: "jwt-echo", version: "1.0.0" });
    await client.connect(transport);
    try {
      const rows = await client.callTool({
        name: "list_accounts_by_segment",
        arguments: { segment: "enterprise" },
      });
      const failed = await client.callTool({ name: "find_expansion_candidates", arguments: {} });
      expect(jwts.size).toBeGreaterThan(0);
      const structured = rows.structuredContent as { rows: Array<{ name: string }> };
      expect(structured.rows.map((r) => r.name)).toEqual(["[REDACTED]", "Bearer [REDACTED] (echoed)"]);
      expect(failed.isError).toBe(true);
      for (const jwt of jwts) {
        expect(jwt.length).toBeGreaterThan(300);
        expect(JSON.stringify(rows)).not.toContain(jwt);
        expect(JSON.stringify(failed)).not.toContain(jwt);
        expect(stderr).not.toContain(jwt);
      }
    } finally {
      await client.close();
    }
  });
});

describe("a programmatic access token's expiry", () => {
  it("is on /metrics from start (no call needed) as not renewed, and the log says it lapses within 7 days", async () => {
    const expiresAt = new Date(Date.now() + 3 * 86_400_000);
    const server = await spawnHttpServer({
      entry,
      env: {
        PATH: process.env.PATH ?? "",
        GTM_STATE_URL: `sqlite:${join(dir, "state.sqlite")}`,
        GTM_HTTP_TOKENS: HTTP_TOKEN,
        SNOWFLAKE_TOKEN: "pat-secret-0123456789abcdef",
        SNOWFLAKE_TOKEN_TYPE: "PROGRAMMATIC_ACCESS_TOKEN",
        SNOWFLAKE_TOKEN_EXPIRES_AT: expiresAt.toISOString(),
      },
      timeoutMs: 45_000,
    });
    try {
      const metrics = await sendHttpRequest(`${server.origin}/metrics`, {
        headers: { authorization: `Bearer ${HTTP_TOKEN}` },
      });
      const line = metrics.text
        .split("\n")
        .find((l) => l.startsWith("gtm_credential_expiry_seconds{") && l.includes('credential="snowflake"'));
      expect(line).toMatch(/renewed="false"/);
      const seconds = Number(line!.split(" ").at(-1));
      // Read after the start: at most the whole lapse, and the start took well under an hour.
      expect(seconds).toBeLessThanOrEqual(3 * 86_400);
      expect(seconds).toBeGreaterThan(3 * 86_400 - 3_600);
      expect(
        server.logs().find((l) => l.msg === "SNOWFLAKE_TOKEN expires within 7 days: replace it"),
      ).toMatchObject({
        level: "warn",
        expiresAt: expiresAt.toISOString(),
      });
    } finally {
      await server.stop();
    }
    expect(server.stderr()).not.toContain("pat-secret-0123456789abcdef");
  });

  it("refuses a SNOWFLAKE_TOKEN_EXPIRES_AT without a zone, naming the variable", async () => {
    const { code, stderr } = await runUntilExit({
      GTM_STATE_URL: `sqlite:${join(dir, "state.sqlite")}`,
      SNOWFLAKE_TOKEN: "pat-secret-0123456789abcdef",
      SNOWFLAKE_TOKEN_EXPIRES_AT: "2027-03-01T00:00:00",
    });
    expect(code).toBe(2);
    expect(stderr).toMatch(/SNOWFLAKE_TOKEN_EXPIRES_AT: expected an RFC 3339 time with a zone/);
  });
});
