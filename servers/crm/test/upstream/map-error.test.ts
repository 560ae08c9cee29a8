import type { VendorErrorInput } from "@gtm-mcp/tool-kit/upstream";
import { describe, expect, it } from "vitest";
import { hubspotRequestId, mapHubSpotError } from "../../src/upstream/map-error.js";

const failed = (
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
  operation = "companies.search",
): VendorErrorInput => ({
  status,
  headers,
  body,
  request: { method: "POST", path: "/crm/objects/2026-09/companies/search", operation, safeToRepeat: true },
});

describe("mapHubSpotError", () => {
  it("reads the property of a validation error from errors[].context.propertyName (array or string)", () => {
    const body = {
      status: "error",
      message: "Property values were not valid",
      category: "VALIDATION_ERROR",
      correlationId: "id-1",
      errors: [{ message: "bad", context: { propertyName: ["annualrevenue"] } }],
    };
    expect(mapHubSpotError(failed(400, body))).toMatchObject({
      code: "UPSTREAM_REJECTED",
      field: "annualrevenue",
      requestId: "id-1",
    });
    const single = { ...body, errors: [{ message: "bad", context: { propertyName: "city" } }] };
    expect(mapHubSpotError(failed(400, single)).field).toBe("city");
  });

  it("reads the property from the JSON HubSpot embeds in the message, and keeps the inner message", () => {
    const mapping = mapHubSpotError(
      failed(400, {
        status: "error",
        category: "VALIDATION_ERROR",
        message:
          'Property values were not valid: [{"isValid":false,"message":"Property \\"favorite_food\\" does not exist","error":"PROPERTY_DOESNT_EXIST","name":"favorite_food"}]',
      }),
    );
    expect(mapping).toMatchObject({ code: "UPSTREAM_REJECTED", field: "favorite_food" });
    expect(mapping.message).toContain('Property "favorite_food" does not exist');
    expect(mapping.message).not.toContain("isValid");
  });

  it("maps a refusal by the account's validation rule (2026-09) to a terminal INVALID_INPUT naming the property and the rule's message", () => {
    const body = {
      status: "error",
      message:
        'Property values were not valid: [{"isValid":false,"message":"Enter only letters","error":"INVALID_ALPHA","name":"firstname"}]',
      correlationId: "3f1c0c1e-0000-4000-8000-000000000001",
      category: "VALIDATION_ERROR",
    };
    const mapping = mapHubSpotError(failed(400, body, {}, "contacts.upsert"));
    expect(mapping).toMatchObject({
      code: "INVALID_INPUT",
      field: "firstname",
      retry: false,
      requestId: "3f1c0c1e-0000-4000-8000-000000000001",
      details: { property: "firstname", rule: "INVALID_ALPHA" },
    });
    expect(mapping.message).toBe(
      "HubSpot refused firstname: Enter only letters (a validation rule of the account)",
    );
    expect(mapping.message).not.toContain("isValid");

    // A rule message is bounded like any vendor text.
    const long = body.message.replace("Enter only letters", "x".repeat(2_000));
    expect(mapHubSpotError(failed(400, { ...body, message: long })).message!.length).toBeLessThanOrEqual(240);
    // HubSpot's own type checks stay UPSTREAM_REJECTED (the property is named either way).
    const typeCheck = body.message.replace("INVALID_ALPHA", "INVALID_INTEGER");
    expect(mapHubSpotError(failed(400, { ...body, message: typeCheck }))).toMatchObject({
      code: "UPSTREAM_REJECTED",
      field: "firstname",
    });
  });

  it("parses leniently: a body of the wrong shape, text or nothing still maps by status", () => {
    expect(mapHubSpotError(failed(400, "<html>Bad Request</html>"))).toMatchObject({
      code: "UPSTREAM_REJECTED",
    });
    expect(mapHubSpotError(failed(400, { message: 42, errors: "nope", category: null }))).toMatchObject({
      code: "UPSTREAM_REJECTED",
    });
    expect(
      mapHubSpotError(failed(400, { category: "OBJECT_NOT_FOUND", message: "gone" }, {}, "companies.get")),
    ).toMatchObject({
      code: "NOT_FOUND",
    });
    expect(mapHubSpotError(failed(409, { message: "duplicate" }))).toMatchObject({ code: "CONFLICT" });
    expect(mapHubSpotError(failed(502, "bad gateway"))).toMatchObject({ code: "UPSTREAM_UNAVAILABLE" });
  });

  it("says NOT_FOUND only for HubSpot's OBJECT_NOT_FOUND outside a search; any other 404 is a missing route", () => {
    const notFound = {
      status: "error",
      message: "Object not found.",
      category: "OBJECT_NOT_FOUND",
      correlationId: "c1",
    };
    expect(mapHubSpotError(failed(404, notFound, {}, "companies.get"))).toMatchObject({
      code: "NOT_FOUND",
      requestId: "c1",
    });
    for (const body of [undefined, "Not Found", { message: "no route" }]) {
      const mapping = mapHubSpotError(failed(404, body, {}, "companies.get"));
      expect(mapping).toMatchObject({ code: "UPSTREAM_UNAVAILABLE" });
      expect(mapping.message).toMatch(/check HUBSPOT_BASE_URL/);
    }
    // A search never means "no such record": no results is a 200 with results: [].
    expect(mapHubSpotError(failed(404, notFound))).toMatchObject({ code: "UPSTREAM_UNAVAILABLE" });
  });

  it("truncates long messages", () => {
    const mapping = mapHubSpotError(failed(400, { message: "x".repeat(5000) }));
    expect(mapping.message!.length).toBeLessThanOrEqual(260);
  });

  it("maps 429 by policy name", () => {
    const limit = (policyName?: string, headers: Record<string, string> = {}) =>
      mapHubSpotError(failed(429, { status: "error", errorType: "RATE_LIMIT", policyName }, headers));
    expect(limit("SECONDLY")).toMatchObject({ code: "RATE_LIMITED", retryAfterMs: 1000 });
    expect(limit("TEN_SECONDLY_ROLLING")).toMatchObject({ code: "RATE_LIMITED", retryAfterMs: 10000 });
    expect(limit("DAILY")).toMatchObject({ code: "QUOTA_EXHAUSTED" });
    expect(limit("DAILY").retryAfterMs).toBeUndefined();
    expect(limit(undefined, { "x-hubspot-ratelimit-daily-remaining": "0" })).toMatchObject({
      code: "QUOTA_EXHAUSTED",
    });
    expect(limit(undefined, { "x-hubspot-ratelimit-interval-milliseconds": "10000" })).toMatchObject({
      code: "RATE_LIMITED",
      retryAfterMs: 10000,
    });
  });

  it("names the missing scope of a 403", () => {
    const mapping = mapHubSpotError(
      failed(403, {
        status: "error",
        message: "This app hasn't been granted all required scopes to make this call.",
        category: "MISSING_SCOPES",
        errors: [
          {
            message: "One or more of the following scopes are required.",
            context: { requiredGranularScopes: ["crm.objects.companies.read"] },
          },
        ],
      }),
    );
    expect(mapping).toMatchObject({
      code: "PERMISSION_DENIED",
      details: { missingScopes: ["crm.objects.companies.read"] },
    });
    expect(mapping.message).toContain("crm.objects.companies.read");
    const text = mapHubSpotError(
      failed(403, { errors: [{ context: "{missingScopes=[crm.objects.notes.write, tickets]}" }] }),
    );
    expect(text.details).toEqual({ missingScopes: ["crm.objects.notes.write", "tickets"] });
  });

  it("never quotes a 401 body, which may echo the token", () => {
    const mapping = mapHubSpotError(
      failed(401, { message: "token pat-secret-abc is invalid", category: "INVALID_AUTHENTICATION" }),
    );
    expect(mapping.code).toBe("PERMISSION_DENIED");
    expect(mapping.message).not.toContain("pat-secret-abc");
  });

  it("takes the request id from correlationId, else the correlation header", () => {
    expect(hubspotRequestId({}, { correlationId: "abc" })).toBe("abc");
    expect(hubspotRequestId({ "x-hubspot-correlation-id": "hdr" }, "text")).toBe("hdr");
  });
});
