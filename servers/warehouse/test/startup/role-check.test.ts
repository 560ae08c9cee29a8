import { StartupError } from "@gtm-mcp/tool-kit/config";
import { createTestRuntime } from "@gtm-mcp/tool-kit/testing";
import { staticCredential } from "@gtm-mcp/tool-kit/upstream";
import { afterEach, describe, expect, it } from "vitest";
import { MAX_ROLES_CHECKED, verifyRoleGrants } from "../../src/role-check.js";
import { createSnowflakeClient, tokenAuth } from "../../src/server.js";
import {
  type SnowflakeStub,
  type SnowflakeStubOptions,
  startSnowflakeStub,
} from "../support/snowflake-stub.js";

const TOKEN = "sf-oauth-role-check-0123456789abcdef";
const context = { role: "GTM_READ_ONLY" };
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Runs the role check of GTM_READ_ONLY against the stub; the refusal's message, or undefined when it passed. */
async function check(options: SnowflakeStubOptions, role = "GTM_READ_ONLY", failSubmits = 0) {
  const stub: SnowflakeStub = await startSnowflakeStub(options);
  for (let i = 0; i < failSubmits; i += 1) stub.failNextSubmits.push({ status: 503 });
  const test = createTestRuntime({ server: "warehouse", secrets: [TOKEN] });
  const snowflake = createSnowflakeClient({
    baseUrl: stub.url,
    auth: tokenAuth(staticCredential(TOKEN), "OAUTH"),
    logger: test.runtime.logger,
    scrub: test.runtime.scrubber.text,
    backoff: { maxAttempts: 1 },
  });
  cleanups.push(async () => {
    await snowflake.close();
    await stub.close();
  });
  let refusal: string | undefined;
  try {
    await verifyRoleGrants(snowflake, role, context, test.runtime.logger);
  } catch (error) {
    expect(error).toBeInstanceOf(StartupError);
    refusal = (error as Error).message;
  }
  return { refusal, stub, logs: test.logs() };
}

const inherits = (name: string) => ({ privilege: "USAGE", granted_on: "ROLE", name });

describe("the role check (SHOW GRANTS TO ROLE, recursively)", () => {
  it("passes a read-only role, reading each role of its hierarchy once", async () => {
    const { refusal, stub, logs } = await check({
      grants: {
        GTM_READ_ONLY: [
          inherits("ANALYST"),
          inherits("PUBLIC"),
          { privilege: "SELECT", granted_on: "VIEW", name: "GTM.PUBLIC.V" },
        ],
        ANALYST: [inherits("PUBLIC")],
      },
    });
    expect(refusal).toBeUndefined();
    expect(stub.statements.map((s) => s.statement)).toEqual([
      'SHOW GRANTS TO ROLE "GTM_READ_ONLY"',
      'SHOW GRANTS TO ROLE "ANALYST"',
      'SHOW GRANTS TO ROLE "PUBLIC"',
    ]);
    expect(logs.find((l) => l.msg === "Snowflake role grants checked")).toMatchObject({ rolesChecked: 3 });
  });

  it("refuses a role that inherits USERADMIN two levels down, naming the path", async () => {
    const { refusal } = await check({
      grants: { GTM_READ_ONLY: [inherits("MIDDLE")], MIDDLE: [inherits("USERADMIN")] },
    });
    expect(refusal).toBe(
      "Snowflake role check failed: role GTM_READ_ONLY can grant privileges or manage users: GTM_READ_ONLY > MIDDLE inherits USERADMIN; give the server a read-only role",
    );
  });

  it("refuses each administrative role inherited directly", async () => {
    for (const admin of ["ACCOUNTADMIN", "SECURITYADMIN", "SYSADMIN", "ORGADMIN", "useradmin"]) {
      const { refusal } = await check({ grants: { GTM_READ_ONLY: [inherits(admin)] } });
      expect(refusal).toContain(`GTM_READ_ONLY inherits ${admin}`);
    }
  });

  it("refuses account privileges that administer access, ownership of users or roles, and grant options", async () => {
    const { refusal } = await check({
      grants: {
        GTM_READ_ONLY: [inherits("HELPER")],
        HELPER: [
          { privilege: "MANAGE GRANTS", granted_on: "ACCOUNT", name: "XY12345" },
          { privilege: "CREATE USER", granted_on: "ACCOUNT", name: "XY12345" },
          { privilege: "OWNERSHIP", granted_on: "USER", name: "JANE" },
          { privilege: "SELECT", granted_on: "TABLE", name: "GTM.PUBLIC.ACCOUNTS", grant_option: true },
        ],
      },
    });
    expect(refusal).toBe(
      "Snowflake role check failed: role GTM_READ_ONLY can grant privileges or manage users: GTM_READ_ONLY > HELPER holds MANAGE GRANTS on the account; GTM_READ_ONLY > HELPER holds CREATE USER on the account; GTM_READ_ONLY > HELPER owns user JANE (and 1 more); give the server a read-only role",
    );
  });

  it("checks only the name of a role whose grants the session may not see, and says so", async () => {
    const { refusal, logs } = await check({
      grants: { GTM_READ_ONLY: [inherits("OPAQUE")], OPAQUE: "denied" },
    });
    expect(refusal).toBeUndefined();
    expect(logs.find((l) => Array.isArray(l.unchecked))).toMatchObject({
      level: "warn",
      unchecked: ["OPAQUE"],
      msg: expect.stringMatching(/only their names were checked/),
    });
  });

  it("fails closed when Snowflake cannot be asked, and on a hierarchy beyond the bound", async () => {
    const quoted = await check({}, 'odd"role');
    expect(quoted.stub.statements[0]!.statement).toBe('SHOW GRANTS TO ROLE "odd""role"');
    expect(quoted.refusal).toBeUndefined();
    const down = await check({}, "GTM_READ_ONLY", 1);
    expect(down.refusal).toMatch(
      /^could not check the grants of Snowflake role GTM_READ_ONLY \(UPSTREAM_UNAVAILABLE: /,
    );
    const wide = await check({
      grants: {
        GTM_READ_ONLY: Array.from({ length: MAX_ROLES_CHECKED + 1 }, (_, i) => inherits(`R${i}`)),
      },
    });
    expect(wide.refusal).toMatch(/inherits more than 50 roles/);
  });
});
