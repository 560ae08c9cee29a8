import { describe, expect, it } from "vitest";
import { ACCOUNT_PROPERTIES } from "../../src/upstream/companies.js";
import { PATHS } from "../support/api-version.js";
import { connectCrm } from "../support/connect.js";
import { company, errorBody, searchPage } from "../support/hubspot-fixtures.js";

const SEARCH = PATHS.search("companies");

describe("get_account", () => {
  it("reads by id with the fixed property set", async () => {
    const crm = await connectCrm();
    crm.hubspot.on("GET", PATHS.object("companies", "123")).reply({ status: 200, body: company("123") });
    const { data, error } = await crm.call("get_account", { account_id: "123" });
    expect(error).toBeUndefined();
    expect(data.ambiguous).toBe(false);
    expect(data.account).toMatchObject({ id: "123", name: "Company 123", employee_count: 250 });
    // The account once, not again inside matches.
    expect(data.matches).toEqual([]);
    const [request] = crm.hubspot.calls();
    expect(request!.method).toBe("GET");
    expect(request!.query.properties!.split(",")).toEqual([...ACCOUNT_PROPERTIES]);
  });

  it("answers an unknown id with NOT_FOUND naming account_id", async () => {
    const crm = await connectCrm();
    crm.hubspot.on("GET", PATHS.object("companies", "999")).reply({
      status: 404,
      body: errorBody("OBJECT_NOT_FOUND", "Object not found.  objectId are usually numeric."),
    });
    const { error } = await crm.call("get_account", { account_id: "999" });
    expect(error).toMatchObject({
      code: "NOT_FOUND",
      field: "account_id",
      retryable: false,
      upstream: { system: "hubspot", status: 404, requestId: "c0ffee00-1111-2222-3333-444455556666" },
    });
  });

  it("finds one company by domain (search domain EQ)", async () => {
    const crm = await connectCrm();
    crm.hubspot
      .on("POST", SEARCH)
      .reply({ status: 200, body: searchPage([company("5", { domain: "acme.com" })]) });
    const { data } = await crm.call("get_account", { domain: "ACME.com" });
    expect(data).toMatchObject({ ambiguous: false, account: { id: "5", domain: "acme.com" }, matches: [] });
    expect(crm.hubspot.calls()[0]!.body).toMatchObject({
      filterGroups: [{ filters: [{ propertyName: "domain", operator: "EQ", value: "acme.com" }] }],
    });
  });

  it("returns every company sharing a domain, flagged ambiguous, without guessing", async () => {
    const crm = await connectCrm();
    crm.hubspot.on("POST", SEARCH).reply({
      status: 200,
      body: searchPage([company("5", { domain: "acme.com" }), company("6", { domain: "acme.com" })]),
    });
    const { data } = await crm.call("get_account", { domain: "acme.com" });
    expect(data.ambiguous).toBe(true);
    expect(data.account).toBeNull();
    expect(data.matches).toEqual([
      { id: "5", name: "Company 5", owner_id: expect.anything(), updated_at: expect.anything() },
      { id: "6", name: "Company 6", owner_id: expect.anything(), updated_at: expect.anything() },
    ]);
  });

  it("reduces a URL or a www host to the registrable domain before searching", async () => {
    const crm = await connectCrm();
    crm.hubspot
      .on("POST", SEARCH)
      .reply({ status: 200, body: searchPage([company("5", { domain: "acme.com" })]) });
    const { data } = await crm.call("get_account", { domain: "https://www.acme.com/x" });
    expect(data).toMatchObject({ account: { id: "5" } });
    expect(crm.hubspot.calls()[0]!.body).toMatchObject({
      filterGroups: [{ filters: [{ propertyName: "domain", operator: "EQ", value: "acme.com" }] }],
    });
    const bad = await crm.call("get_account", { domain: "acme" });
    expect(bad.error).toMatchObject({ code: "INVALID_INPUT", field: "domain" });
  });

  it("answers a domain nobody has with NOT_FOUND naming domain", async () => {
    const crm = await connectCrm();
    crm.hubspot.on("POST", SEARCH).reply({ status: 200, body: searchPage([]) });
    const { error } = await crm.call("get_account", { domain: "nobody.example" });
    expect(error).toMatchObject({ code: "NOT_FOUND", field: "domain" });
  });

  it("requires exactly one of account_id and domain", async () => {
    const crm = await connectCrm();
    expect((await crm.call("get_account", { account_id: "1", domain: "a.com" })).error).toMatchObject({
      code: "INVALID_INPUT",
      field: "domain",
    });
    expect((await crm.call("get_account", {})).error).toMatchObject({
      code: "INVALID_INPUT",
      field: "account_id",
    });
    expect((await crm.call("get_account", { account_id: "12a" })).error).toMatchObject({
      code: "INVALID_INPUT",
      field: "account_id",
    });
    expect(crm.hubspot.calls()).toHaveLength(0);
  });
});
