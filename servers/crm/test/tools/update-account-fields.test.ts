import { describe, expect, it } from "vitest";
import { PATHS } from "../support/api-version.js";
import { connectCrm, TOKEN } from "../support/connect.js";
import { company, errorBody, hubspotObject } from "../support/hubspot-fixtures.js";

const COMPANY = PATHS.object("companies", "42");

describe("update_account_fields", () => {
  it("lists only the allowlisted fields in its input schema", async () => {
    const crm = await connectCrm({ updatableFields: ["industry", "employee_count"] });
    const { tools } = await crm.client.listTools();
    const tool = tools.find((t) => t.name === "update_account_fields")!;
    const fields = (
      tool.inputSchema.properties as Record<
        string,
        { properties: Record<string, unknown>; additionalProperties?: boolean }
      >
    ).fields!;
    expect(Object.keys(fields.properties).sort()).toEqual(["employee_count", "industry"]);
    expect(fields.additionalProperties).toBe(false);
    expect(tool.description).toContain("industry, employee_count");
  });

  it("PATCHes the typed values as HubSpot properties and returns the account re-read whole", async () => {
    const crm = await connectCrm({
      updatableFields: ["industry", "lifecycle_stage", "employee_count", "annual_revenue"],
    });
    crm.hubspot.on("PATCH", COMPANY).reply({
      status: 200,
      body: hubspotObject("42", {
        industry: "MARKETING_AND_ADVERTISING",
        numberofemployees: "300",
        hs_object_id: "42",
      }),
    });
    crm.hubspot.on("GET", COMPANY).reply({
      status: 200,
      body: company("42", { industry: "MARKETING_AND_ADVERTISING", numberofemployees: "300" }),
    });

    const { data, error } = await crm.call("update_account_fields", {
      account_id: "42",
      fields: { industry: "MARKETING_AND_ADVERTISING", employee_count: 300, lifecycle_stage: "opportunity" },
    });
    expect(error).toBeUndefined();
    const [patch] = crm.hubspot.calls();
    expect(patch!.method).toBe("PATCH");
    expect(patch!.body).toEqual({
      properties: {
        industry: "MARKETING_AND_ADVERTISING",
        numberofemployees: "300",
        lifecyclestage: "opportunity",
      },
    });
    expect(data.account).toMatchObject({
      id: "42",
      name: "Company 42",
      industry: "MARKETING_AND_ADVERTISING",
      employee_count: 300,
    });
    expect([...data.updated_fields].sort()).toEqual(["employee_count", "industry", "lifecycle_stage"]);
    expect(data.replayed).toBe(false);
  });

  it("falls back to the PATCH answer when re-reading fails: the write happened", async () => {
    const crm = await connectCrm({ updatableFields: ["industry"] });
    crm.hubspot
      .on("PATCH", COMPANY)
      .reply({ status: 200, body: hubspotObject("42", { industry: "BANKING" }) });
    crm.hubspot.on("GET", COMPANY).reply({ status: 503, body: "down" }, { persist: true });
    const { data, error } = await crm.call("update_account_fields", {
      account_id: "42",
      fields: { industry: "BANKING" },
    });
    expect(error).toBeUndefined();
    expect(data.account).toMatchObject({ id: "42", industry: "BANKING", name: null });
  });

  it("refuses fields outside the allowlist, and an empty update", async () => {
    const crm = await connectCrm({ updatableFields: ["industry"] });
    const outside = await crm.call("update_account_fields", {
      account_id: "42",
      fields: { name: "Evil Corp" },
    });
    expect(outside.error).toMatchObject({ code: "INVALID_INPUT", field: "fields.name" });
    expect(outside.error!.message).toBe(
      'fields.name: "name" exists but cannot be set here; allowed: industry',
    );
    const both = await crm.call("update_account_fields", {
      account_id: "x",
      fields: { name: "Evil Corp", favourite_food: "pie", industry: "BANKING" },
    });
    // Every problem named at once, each where it is, so one retry can fix them all.
    expect(both.error!.message).toBe(
      'account_id: expected a HubSpot company id (digits); fields.name: "name" exists but cannot be set here; "favourite_food" is not a field; allowed: industry',
    );
    const empty = await crm.call("update_account_fields", { account_id: "42", fields: {} });
    expect(empty.error).toMatchObject({ code: "INVALID_INPUT", field: "fields" });
    const badType = await crm.call("update_account_fields", {
      account_id: "42",
      fields: { industry: "not an option" },
    });
    expect(badType.error).toMatchObject({ code: "INVALID_INPUT", field: "fields.industry" });
    expect(crm.hubspot.calls()).toHaveLength(0);
  });

  it("answers an unknown company with NOT_FOUND on account_id", async () => {
    const crm = await connectCrm();
    crm.hubspot
      .on("PATCH", COMPANY)
      .reply({ status: 404, body: errorBody("OBJECT_NOT_FOUND", "Object not found.") });
    const { error } = await crm.call("update_account_fields", {
      account_id: "42",
      fields: { city: "Paris" },
    });
    expect(error).toMatchObject({ code: "NOT_FOUND", field: "account_id", sideEffect: "none" });
  });

  it("answers a write refused by the account's validation rule with a terminal INVALID_INPUT: property and rule message, scrubbed, no vendor body", async () => {
    const crm = await connectCrm();
    crm.hubspot.on("PATCH", COMPANY).reply({
      status: 400,
      body: errorBody(
        "VALIDATION_ERROR",
        `Property values were not valid: [{"isValid":false,"message":"City may hold letters only (token ${TOKEN})","error":"INVALID_ALPHA","name":"city"}]`,
      ),
    });
    const { error } = await crm.call("update_account_fields", {
      account_id: "42",
      fields: { city: "Paris 75" },
    });
    expect(error).toMatchObject({
      code: "INVALID_INPUT",
      field: "city",
      retryable: false,
      sideEffect: "none",
      upstream: { system: "hubspot", status: 400 },
      details: { property: "city", rule: "INVALID_ALPHA" },
    });
    expect(error!.message).toContain("HubSpot refused city: City may hold letters only");
    expect(error!.message).not.toContain(TOKEN);
    expect(JSON.stringify(error)).not.toContain("isValid");
    expect(crm.hubspot.calls().filter((c) => c.method === "PATCH")).toHaveLength(1);
  });

  it("names the property HubSpot refused, and maps 409 to CONFLICT", async () => {
    const crm = await connectCrm();
    crm.hubspot.on("PATCH", COMPANY).reply({
      status: 400,
      body: errorBody(
        "VALIDATION_ERROR",
        'Property values were not valid: [{"isValid":false,"message":"-5 is not a valid number","error":"INVALID_INTEGER","name":"numberofemployees"}]',
      ),
    });
    const rejected = await crm.call("update_account_fields", {
      account_id: "42",
      fields: { employee_count: 5 },
    });
    expect(rejected.error).toMatchObject({
      code: "UPSTREAM_REJECTED",
      field: "numberofemployees",
      retryable: false,
    });
    expect(rejected.error!.message).toContain("not a valid number");

    crm.hubspot
      .on("PATCH", COMPANY)
      .reply({ status: 409, body: errorBody("CONFLICT", "A company with this domain already exists") });
    const conflict = await crm.call("update_account_fields", { account_id: "42", fields: { city: "Paris" } });
    expect(conflict.error).toMatchObject({ code: "CONFLICT", retryable: false });
  });
});
