import { describe, expect, it } from "vitest";
import { PATHS } from "../support/api-version.js";
import { connectCrm } from "../support/connect.js";
import { errorBody, hubspotObject } from "../support/hubspot-fixtures.js";

const UPSERT = PATHS.batchUpsert("contacts");
const ASSOCIATE = PATHS.associateDefault("contacts", "901", "companies", "42");

const upserted = (isNew: boolean, properties: Record<string, string | null> = {}) => ({
  status: "COMPLETE",
  results: [
    {
      ...hubspotObject("901", {
        email: "ada@acme.com",
        firstname: "Ada",
        hs_object_id: "901",
        ...properties,
      }),
      new: isNew,
    },
  ],
  startedAt: "2026-11-21T12:00:00.000Z",
  completedAt: "2026-11-21T12:00:00.100Z",
});

const args = {
  email: "Ada@Acme.com",
  first_name: "Ada",
  last_name: "Lovelace",
  job_title: "CTO",
  phone: "+1 555 0100",
  lifecycle_stage: "lead",
  lead_status: "NEW",
  account_id: "42",
};

describe("upsert_lead", () => {
  it("upserts by email with only allowlisted properties, then associates the company", async () => {
    const crm = await connectCrm();
    crm.hubspot.on("POST", UPSERT).reply({ status: 200, body: upserted(true) });
    crm.hubspot.on("PUT", ASSOCIATE).reply({ status: 200, body: { status: "COMPLETE", results: [] } });

    const { data, error } = await crm.call("upsert_lead", args);
    expect(error).toBeUndefined();
    const [upsert, associate] = crm.hubspot.calls();
    expect(upsert!.body).toEqual({
      inputs: [
        {
          id: "ada@acme.com",
          idProperty: "email",
          properties: {
            firstname: "Ada",
            lastname: "Lovelace",
            jobtitle: "CTO",
            phone: "+1 555 0100",
            lifecyclestage: "lead",
            hs_lead_status: "NEW",
          },
        },
      ],
    });
    expect(`${associate!.method} ${associate!.pathname}`).toBe(`PUT ${ASSOCIATE}`);
    expect(data).toMatchObject({
      contact: {
        id: "901",
        email: "ada@acme.com",
        first_name: "Ada",
        last_name: "Lovelace",
        lead_status: "NEW",
      },
      created: true,
      associated_account_id: "42",
      replayed: false,
    });
    expect(data.idempotency_key).toMatch(/^upsert_lead:[0-9a-f]{64}$/);
  });

  it("acts once for the same arguments: the repeat replays without calling HubSpot", async () => {
    const crm = await connectCrm();
    crm.hubspot.on("POST", UPSERT).reply({ status: 200, body: upserted(false) });
    const { account_id: _omitted, ...withoutAccount } = args;
    const first = await crm.call("upsert_lead", withoutAccount);
    expect(first.data).toMatchObject({ created: false, associated_account_id: null, replayed: false });
    const again = await crm.call("upsert_lead", withoutAccount);
    expect(again.data).toEqual({ ...first.data, replayed: true });
    expect(crm.hubspot.calls()).toHaveLength(1);
  });

  it("surfaces a 207 partial failure per input: message and property", async () => {
    const crm = await connectCrm();
    crm.hubspot.on("POST", UPSERT).reply({
      status: 207,
      body: {
        status: "COMPLETE",
        results: [],
        numErrors: 1,
        errors: [
          {
            status: "error",
            category: "VALIDATION_ERROR",
            message:
              'Property values were not valid: [{"isValid":false,"message":"+1 555 0100 is not a valid phone number","error":"INVALID_PHONE","name":"phone"}]',
            context: { ids: ["ada@acme.com"] },
          },
        ],
      },
    });
    const { error } = await crm.call("upsert_lead", { email: "ada@acme.com", phone: "+1 555 0100" });
    expect(error).toMatchObject({
      code: "UPSTREAM_REJECTED",
      field: "phone",
      retryable: false,
      sideEffect: "none",
    });
    expect(error!.message).toContain("not a valid phone number");
    expect(error!.details).toMatchObject({ inputs: [{ id: "ada@acme.com", property: "phone" }] });
  });

  it("answers an input refused by the account's validation rule with INVALID_INPUT naming the property, in a 207 or in a 200 with errors", async () => {
    const refusal = {
      status: "error",
      category: "VALIDATION_ERROR",
      message:
        'Property values were not valid: [{"isValid":false,"message":"Enter only letters","error":"INVALID_ALPHA","name":"firstname"}]',
      context: { ids: ["ada@acme.com"] },
      errors: [],
      links: {},
    };
    const answer = { status: "COMPLETE", results: [], numErrors: 1, errors: [refusal] };
    for (const status of [207, 200]) {
      const crm = await connectCrm();
      crm.hubspot.on("POST", UPSERT).reply({ status, body: answer });
      const { error } = await crm.call("upsert_lead", { email: "ada@acme.com", first_name: "Ada2" });
      expect(error, `status ${status}`).toMatchObject({
        code: "INVALID_INPUT",
        field: "firstname",
        retryable: false,
        sideEffect: "none",
        details: { property: "firstname", rule: "INVALID_ALPHA" },
      });
      expect(error!.message).toBe(
        "HubSpot refused firstname: Enter only letters (a validation rule of the account)",
      );
    }
  });

  it("answers an email HubSpot refuses in a 207 with INVALID_INPUT on email", async () => {
    const crm = await connectCrm();
    crm.hubspot.on("POST", UPSERT).reply({
      status: 207,
      body: {
        status: "COMPLETE",
        results: [],
        numErrors: 1,
        errors: [
          {
            status: "error",
            category: "VALIDATION_ERROR",
            message: "Email address ada@acme is invalid",
            errors: [{ code: "INVALID_EMAIL" }],
          },
        ],
      },
    });
    const { error } = await crm.call("upsert_lead", { email: "ada@acme.co" });
    expect(error).toMatchObject({ code: "INVALID_INPUT", field: "email" });
  });

  it("retries the upsert after a 5xx inside the call: it is safe to repeat", async () => {
    const crm = await connectCrm();
    crm.hubspot.on("POST", UPSERT).replySequence([
      { status: 502, body: errorBody("INTERNAL_ERROR", "Bad gateway") },
      { status: 200, body: upserted(true) },
    ]);
    const { data } = await crm.call("upsert_lead", { email: "ada@acme.com" });
    expect(data.created).toBe(true);
    expect(crm.hubspot.calls()).toHaveLength(2);
  });

  it("reports a missing company after the upsert as NOT_FOUND on account_id, with the side effect committed", async () => {
    const crm = await connectCrm();
    crm.hubspot.on("POST", UPSERT).reply({ status: 200, body: upserted(true) });
    crm.hubspot
      .on("PUT", ASSOCIATE)
      .reply({ status: 404, body: errorBody("OBJECT_NOT_FOUND", "Object not found.") });
    const { error } = await crm.call("upsert_lead", { email: "ada@acme.com", account_id: "42" });
    expect(error).toMatchObject({ code: "NOT_FOUND", field: "account_id", sideEffect: "committed" });
  });

  it("rejects values outside the enums and unknown properties", async () => {
    const crm = await connectCrm();
    expect((await crm.call("upsert_lead", { email: "a@b.co", lifecycle_stage: "vip" })).error).toMatchObject({
      code: "INVALID_INPUT",
      field: "lifecycle_stage",
    });
    expect((await crm.call("upsert_lead", { email: "a@b.co", hs_lead_status: "NEW" })).error).toMatchObject({
      code: "INVALID_INPUT",
      field: "hs_lead_status",
    });
    expect(crm.hubspot.calls()).toHaveLength(0);
  });
});
