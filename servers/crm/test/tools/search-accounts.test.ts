import { describe, expect, it } from "vitest";
import { ACCOUNT_PROPERTIES } from "../../src/upstream/companies.js";
import { PATHS } from "../support/api-version.js";
import { connectCrm, TOKEN } from "../support/connect.js";
import { company, errorBody, searchPage } from "../support/hubspot-fixtures.js";

const SEARCH = PATHS.search("companies");

describe("search_accounts", () => {
  it("searches a multi-word name as one CONTAINS_TOKEN filter per word", async () => {
    const crm = await connectCrm();
    crm.hubspot.on("POST", SEARCH).reply({ status: 200, body: searchPage([]) });
    const { error } = await crm.call("search_accounts", { name: "  Acme   Corp " });
    expect(error).toBeUndefined();
    expect((crm.hubspot.calls()[0]!.body as { filterGroups: unknown }).filterGroups).toEqual([
      {
        filters: [
          { propertyName: "name", operator: "CONTAINS_TOKEN", value: "Acme" },
          { propertyName: "name", operator: "CONTAINS_TOKEN", value: "Corp" },
        ],
      },
    ]);
  });

  it("sends every filter in one AND group with the fixed property set, and maps the page", async () => {
    const crm = await connectCrm();
    crm.hubspot.on("POST", SEARCH).reply({
      status: 200,
      body: searchPage([company("101"), company("102", { industry: "", numberofemployees: null })], {
        total: 7,
        after: "4",
      }),
    });

    const { data, error } = await crm.call("search_accounts", {
      name: "acme",
      domain: "https://www.Acme.com/",
      owner_id: "77",
      lifecycle_stage: "customer",
      updated_since: "2026-01-01T00:00:00Z",
      limit: 2,
      cursor: "2",
    });
    expect(error).toBeUndefined();

    const [request] = crm.hubspot.calls();
    expect(request!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(request!.body).toEqual({
      filterGroups: [
        {
          filters: [
            { propertyName: "name", operator: "CONTAINS_TOKEN", value: "acme" },
            { propertyName: "domain", operator: "EQ", value: "acme.com" },
            { propertyName: "hubspot_owner_id", operator: "EQ", value: "77" },
            { propertyName: "lifecyclestage", operator: "EQ", value: "customer" },
            {
              propertyName: "hs_lastmodifieddate",
              operator: "GTE",
              value: String(Date.parse("2026-01-01T00:00:00Z")),
            },
          ],
        },
      ],
      properties: [...ACCOUNT_PROPERTIES],
      limit: 2,
      after: "2",
    });

    expect(data.total).toBe(7);
    expect(data.next_cursor).toBe("4");
    expect(data.accounts[0]).toEqual({
      id: "101",
      name: "Company 101",
      domain: "c101.example",
      industry: "COMPUTER_SOFTWARE",
      lifecycle_stage: "customer",
      owner_id: "77",
      city: "Berlin",
      country: "Germany",
      employee_count: 250,
      annual_revenue: 1250000.5,
      created_at: "2025-01-02T03:04:05.000Z",
      updated_at: "2026-11-01T00:00:00.000Z",
    });
    // Unset properties are null, never a guessed default.
    expect(data.accounts[1]).toMatchObject({ id: "102", industry: null, employee_count: null });
  });

  it("answers no match with an empty page, not an error", async () => {
    const crm = await connectCrm();
    crm.hubspot.on("POST", SEARCH).reply({ status: 200, body: { total: 0, results: [] } });
    const { data, error } = await crm.call("search_accounts", { name: "nobody" });
    expect(error).toBeUndefined();
    expect(data).toEqual({ accounts: [], total: 0, next_cursor: null });
    expect((crm.hubspot.calls()[0]!.body as { limit: number }).limit).toBe(25);
    expect((crm.hubspot.calls()[0]!.body as { after?: string }).after).toBeUndefined();
  });

  it("passes any cursor HubSpot returned through unchanged, even one that looks numeric or is URL-encoded", async () => {
    const crm = await connectCrm();
    crm.hubspot.on("POST", SEARCH).reply({ status: 200, body: searchPage([]) }, { times: 2 });
    for (const cursor of ["MTA%3D", "10000"]) {
      const { error } = await crm.call("search_accounts", { cursor });
      expect(error).toBeUndefined();
    }
    expect(crm.hubspot.calls().map((c) => (c.body as { after?: string }).after)).toEqual(["MTA%3D", "10000"]);
  });

  it("refuses a cursor that is no printable ASCII token before calling HubSpot", async () => {
    const crm = await connectCrm();
    for (const cursor of ["", "two words", "caf\u00e9", "x".repeat(1025)]) {
      expect((await crm.call("search_accounts", { cursor })).error).toMatchObject({
        code: "INVALID_INPUT",
        field: "cursor",
      });
    }
    expect(crm.hubspot.calls()).toHaveLength(0);
  });

  it("maps HubSpot's 400 about the 10,000-result window to INVALID_INPUT on cursor", async () => {
    const crm = await connectCrm();
    crm.hubspot.on("POST", SEARCH).reply({
      status: 400,
      body: errorBody("VALIDATION_ERROR", "Paging past 10,000 results is not supported."),
    });
    const past = await crm.call("search_accounts", { cursor: "MTAwMDA%3D" });
    expect(past.error).toMatchObject({ code: "INVALID_INPUT", field: "cursor", retryable: false });
    expect(past.error!.message).toMatch(/10,000/);
    expect(crm.hubspot.calls()).toHaveLength(1);
  });

  it("keeps any other 400 to a paged search as UPSTREAM_REJECTED with HubSpot's message", async () => {
    const crm = await connectCrm();
    crm.hubspot
      .on("POST", SEARCH)
      .reply({ status: 400, body: errorBody("VALIDATION_ERROR", "There was a problem with the request.") });
    const rejected = await crm.call("search_accounts", { cursor: "9990", limit: 25 });
    expect(rejected.error).toMatchObject({ code: "UPSTREAM_REJECTED", retryable: false });
    expect(rejected.error!.field).not.toBe("cursor");
    expect(rejected.error!.message).toContain("There was a problem with the request.");
  });

  it("retries a read after a 5xx and succeeds (two requests)", async () => {
    const crm = await connectCrm();
    crm.hubspot.on("POST", SEARCH).replySequence([
      { status: 503, body: "<html>Service Unavailable</html>" },
      { status: 200, body: searchPage([company("101")]) },
    ]);
    const { data, error } = await crm.call("search_accounts", {});
    expect(error).toBeUndefined();
    expect(data.accounts.map((a: { id: string }) => a.id)).toEqual(["101"]);
    expect(crm.hubspot.calls()).toHaveLength(2);
    expect(crm.callLines()[0]).toMatchObject({
      tool: "search_accounts",
      outcome: "ok",
      attempts: 2,
      retried: true,
    });
  });

  it("rejects a limit above 100 and unknown arguments before calling HubSpot", async () => {
    const crm = await connectCrm();
    expect((await crm.call("search_accounts", { limit: 101 })).error).toMatchObject({
      code: "INVALID_INPUT",
      field: "limit",
    });
    expect((await crm.call("search_accounts", { industry: "x" })).error).toMatchObject({
      code: "INVALID_INPUT",
      field: "industry",
    });
    expect((await crm.call("search_accounts", { industry: "x", city: "y", limit: 0 })).error).toMatchObject({
      field: "limit",
      message: 'limit: Too small: expected number to be >=1; industry: unknown arguments "industry", "city"',
    });
    expect((await crm.call("search_accounts", { updated_since: "yesterday" })).error).toMatchObject({
      field: "updated_since",
    });
    expect(crm.hubspot.calls()).toHaveLength(0);
  });
});
