import { describe, expect, it } from "vitest";
import { CONTACT_PROPERTIES } from "../../src/upstream/contacts.js";
import { PATHS } from "../support/api-version.js";
import { connectCrm } from "../support/connect.js";
import { hubspotObject, searchPage } from "../support/hubspot-fixtures.js";

const SEARCH = PATHS.search("contacts");

describe("get_contact", () => {
  it("finds a contact by email (search email EQ) and maps its properties", async () => {
    const crm = await connectCrm();
    crm.hubspot.on("POST", SEARCH).reply({
      status: 200,
      body: searchPage([
        hubspotObject("901", {
          email: "ada@acme.com",
          firstname: "Ada",
          lastname: "Lovelace",
          jobtitle: "CTO",
          phone: null,
          lifecyclestage: "lead",
          hs_lead_status: "NEW",
          createdate: "2026-01-01T00:00:00Z",
          lastmodifieddate: "1767225600000",
        }),
      ]),
    });
    const { data, error } = await crm.call("get_contact", { email: " Ada@Acme.com " });
    expect(error).toBeUndefined();
    expect(data.contact).toEqual({
      id: "901",
      email: "ada@acme.com",
      first_name: "Ada",
      last_name: "Lovelace",
      job_title: "CTO",
      phone: null,
      lifecycle_stage: "lead",
      lead_status: "NEW",
      created_at: "2026-01-01T00:00:00.000Z",
      updated_at: "2026-01-01T00:00:00.000Z",
    });
    expect(crm.hubspot.calls()[0]!.body).toMatchObject({
      filterGroups: [{ filters: [{ propertyName: "email", operator: "EQ", value: "ada@acme.com" }] }],
      properties: [...CONTACT_PROPERTIES],
    });
  });

  it("answers an unknown email with NOT_FOUND, and a malformed one with INVALID_INPUT", async () => {
    const crm = await connectCrm();
    crm.hubspot.on("POST", SEARCH).reply({ status: 200, body: { total: 0, results: [] } });
    expect((await crm.call("get_contact", { email: "nobody@acme.com" })).error).toMatchObject({
      code: "NOT_FOUND",
      field: "email",
    });
    expect((await crm.call("get_contact", { email: "not-an-email" })).error).toMatchObject({
      code: "INVALID_INPUT",
      field: "email",
    });
    expect(crm.hubspot.calls()).toHaveLength(1);
  });
});
