import {
  cancelStatusSchema,
  errorBodySchema,
  queryStatusSchema,
  resultSetSchema,
} from "@gtm-mcp/warehouse/upstream/schemas";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../../src/index.js";
import { call } from "../support/http.js";

// The Snowflake emulator's answers read by the warehouse server's own upstream schemas: the
// emulator and the server cannot drift apart unnoticed.

let sandbox: Sandbox;
const headers = {
  authorization: "Bearer t",
  "x-snowflake-authorization-token-type": "PROGRAMMATIC_ACCESS_TOKEN",
  "user-agent": "drift-test/1.0",
};
const submit = (body: unknown, query = "") =>
  call(`${sandbox.urls.snowflake}/api/v2/statements${query}`, { headers, body });

beforeAll(async () => {
  sandbox = await startSandbox({ accounts: 30, vendors: ["snowflake"], ports: { snowflake: 0 } });
});
afterAll(() => sandbox.stop());

describe("Snowflake emulator answers, read by the warehouse server's schemas", () => {
  it("a result set, a 202, a cancel and a compilation error", async () => {
    const ok = await submit({ statement: "SELECT ACCOUNT_ID, ARR, CREATED_AT FROM ACCOUNTS" });
    expect(resultSetSchema.safeParse(ok.body).success).toBe(true);
    const running = await submit({ statement: "SELECT SYSTEM$WAIT(30)" }, "?async=true");
    expect(queryStatusSchema.safeParse(running.body).success).toBe(true);
    const cancel = await call(
      `${sandbox.urls.snowflake}/api/v2/statements/${running.body.statementHandle}/cancel`,
      { headers, method: "POST" },
    );
    expect(cancelStatusSchema.safeParse(cancel.body).success).toBe(true);
    const failed = await submit({ statement: "SELECT NOPE FROM ACCOUNTS" });
    expect(errorBodySchema.safeParse(failed.body).success).toBe(true);
  });
});
