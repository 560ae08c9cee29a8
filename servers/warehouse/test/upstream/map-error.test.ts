import { describe, expect, it } from "vitest";
import { mapSnowflakeError } from "../../src/upstream/map-error.js";

const request = {
  method: "POST" as const,
  path: "/api/v2/statements",
  operation: "statements.submit",
  safeToRepeat: true,
};

describe("mapSnowflakeError", () => {
  it("never repeats a JWT the vendor echoed in its message", () => {
    const jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJYWTEyMzQ1LlUifQ.c2lnbmF0dXJlLXBhcnQ";
    const mapped = mapSnowflakeError({
      status: 401,
      headers: {},
      body: { code: "390144", message: `JWT token is invalid: ${jwt}` },
      request,
    });
    expect(mapped?.message).toBe("Snowflake answered 401: JWT token is invalid: [REDACTED]");
  });

  it("keeps Snowflake's code and sqlState of a 422, and its statement handle as the request id", () => {
    const mapped = mapSnowflakeError({
      status: 422,
      headers: {},
      body: {
        code: "000904",
        sqlState: "42000",
        message: "SQL compilation error",
        statementHandle: "01b2-abc",
      },
      request,
    });
    expect(mapped).toMatchObject({
      code: "UPSTREAM_REJECTED",
      details: { snowflakeCode: "000904", sqlState: "42000" },
      requestId: "01b2-abc",
    });
  });

  it("leaves 429 and 5xx to the tool-kit defaults (retried with the same requestId)", () => {
    expect(mapSnowflakeError({ status: 429, headers: {}, body: undefined, request })).toBeUndefined();
    expect(
      mapSnowflakeError({ status: 503, headers: {}, body: "Service Unavailable", request }),
    ).toBeUndefined();
  });
});
