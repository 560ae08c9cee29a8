import {
  accountDetailsSchema,
  associationsPageSchema,
  batchUpsertSchema,
  hubspotObjectSchema,
  searchPageSchema,
} from "@gtm-mcp/crm/upstream/schemas";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../../src/index.js";
import { call } from "../support/http.js";

// Every answer is checked twice: against the shape vendors.md gives (the assertions here) and
// against the crm server's own upstream schemas, so the emulator and the server cannot drift.

let sandbox: Sandbox;
let base: string;
const auth = { authorization: "Bearer sandbox-hubspot-token" };
const search = (type: string, body: unknown) =>
  call(`${base}/crm/v3/objects/${type}/search`, { headers: auth, body });

beforeAll(async () => {
  sandbox = await startSandbox({ accounts: 200, vendors: ["hubspot"], ports: { hubspot: 0 } });
  base = sandbox.urls.hubspot!;
});
afterAll(() => sandbox.stop());

describe("HubSpot emulator", () => {
  it("answers the identity check with the book's portal", async () => {
    const answer = await call(`${base}/account-info/v3/details`, { headers: auth });
    expect(answer.status).toBe(200);
    expect(accountDetailsSchema.parse(answer.body).portalId).toBe(String(sandbox.book.portalId));
  });

  it("refuses a missing token with 401 and a token without scopes with 403, in HubSpot's error shape", async () => {
    const none = await call(`${base}/account-info/v3/details`);
    expect(none.status).toBe(401);
    expect(none.body).toMatchObject({
      status: "error",
      category: "INVALID_AUTHENTICATION",
      correlationId: expect.any(String),
    });
    const denied = await call(`${base}/account-info/v3/details`, {
      headers: { authorization: "Bearer denied-x" },
    });
    expect(denied.status).toBe(403);
    expect(denied.body.errors[0].context.requiredGranularScopes).toEqual(["crm.objects.companies.read"]);
  });

  it("finds both companies of a shared domain: domains are not unique", async () => {
    const shared = sandbox.book.accounts.find(
      (a, i, all) => all.findIndex((b) => b.domain === a.domain) !== i,
    )!;
    const answer = await search("companies", {
      filterGroups: [{ filters: [{ propertyName: "domain", operator: "EQ", value: shared.domain }] }],
      properties: ["name", "domain"],
      limit: 100,
    });
    expect(answer.status).toBe(200);
    const page = searchPageSchema.parse(answer.body);
    expect(page.total).toBe(2);
    expect(page.results.map((r) => r.properties.domain)).toEqual([shared.domain, shared.domain]);
    expect(answer.body.paging).toBeUndefined();
  });

  it("answers no match with 200, total 0 and an empty list", async () => {
    const answer = await search("companies", {
      filterGroups: [{ filters: [{ propertyName: "domain", operator: "EQ", value: "nobody.example" }] }],
      limit: 10,
    });
    expect(answer).toMatchObject({ status: 200, body: { total: 0, results: [] } });
  });

  it("pages with after, and refuses to page past 10,000 results with a 400", async () => {
    const first = await search("companies", { limit: 50, properties: ["name"] });
    expect(first.body.total).toBe(200);
    expect(first.body.paging.next.after).toBe("50");
    const second = await search("companies", { limit: 50, after: first.body.paging.next.after });
    expect(second.body.results[0].id).not.toBe(first.body.results[0].id);
    const past = await search("companies", { limit: 10, after: "10000" });
    expect(past.status).toBe(400);
    expect(past.body).toMatchObject({ status: "error", category: "VALIDATION_ERROR" });
    expect(past.body.message).toMatch(/10,000/);
  });

  it("enforces the filter limits: 5 groups, 10 filters a group, 25 in all, limit ≤ 200", async () => {
    const filter = { propertyName: "domain", operator: "HAS_PROPERTY" };
    const groups = (n: number, per: number) =>
      Array.from({ length: n }, () => ({ filters: Array(per).fill(filter) }));
    expect((await search("companies", { filterGroups: groups(6, 1) })).status).toBe(400);
    expect((await search("companies", { filterGroups: groups(1, 11) })).status).toBe(400);
    expect((await search("companies", { filterGroups: groups(3, 9) })).status).toBe(400);
    expect((await search("companies", { filterGroups: groups(5, 5), limit: 1 })).status).toBe(200);
    expect((await search("companies", { limit: 201 })).status).toBe(400);
  });

  it("gets a company with its contacts, and answers a missing one 404 OBJECT_NOT_FOUND", async () => {
    const account = sandbox.book.accounts[3]!;
    const answer = await call(
      `${base}/crm/v3/objects/companies/${account.companyId}?properties=name,domain&associations=contacts`,
      { headers: auth },
    );
    expect(answer.status).toBe(200);
    const company = hubspotObjectSchema.parse(answer.body);
    expect(company.properties).toMatchObject({ name: account.name, domain: account.domain });
    expect(answer.body.associations.contacts.results.length).toBeGreaterThanOrEqual(2);
    const missing = await call(`${base}/crm/v3/objects/companies/1`, { headers: auth });
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ status: "error", category: "OBJECT_NOT_FOUND" });
  });

  it("creates a note (201) associated to the company, lists it through v4 associations and finds it by id", async () => {
    const company = sandbox.book.accounts[5]!.companyId;
    const created = await call(`${base}/crm/v3/objects/notes`, {
      headers: auth,
      body: {
        properties: { hs_timestamp: "2026-11-29T10:00:00.000Z", hs_note_body: "Called. [gtm-mcp ref abc]" },
        associations: [
          {
            to: { id: company },
            types: [{ associationCategory: "HUBSPOT_DEFINED", associationTypeId: 190 }],
          },
        ],
      },
    });
    expect(created.status).toBe(201);
    const note = hubspotObjectSchema.parse(created.body);
    const listed = await call(`${base}/crm/v4/objects/companies/${company}/associations/notes?limit=500`, {
      headers: auth,
    });
    expect(associationsPageSchema.parse(listed.body).results.map((r) => r.toObjectId)).toContain(note.id);
    const found = await search("notes", {
      filterGroups: [{ filters: [{ propertyName: "hs_object_id", operator: "IN", values: [note.id] }] }],
      properties: ["hs_note_body", "hs_timestamp"],
      limit: 100,
    });
    expect(found.body.results[0].properties.hs_note_body).toContain("gtm-mcp ref abc");
    const state = await sandbox.admin.state<{ notes: Array<{ id: string; companyIds: string[] }> }>(
      "hubspot",
    );
    expect(state.notes).toContainEqual(expect.objectContaining({ id: note.id, companyIds: [company] }));
  });

  it("refuses a note body over 65,536 characters", async () => {
    const company = sandbox.book.accounts[5]!.companyId;
    const answer = await call(`${base}/crm/v3/objects/notes`, {
      headers: auth,
      body: {
        properties: { hs_timestamp: "2026-11-29T10:00:00.000Z", hs_note_body: "x".repeat(65_537) },
        associations: [
          {
            to: { id: company },
            types: [{ associationCategory: "HUBSPOT_DEFINED", associationTypeId: 190 }],
          },
        ],
      },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.category).toBe("VALIDATION_ERROR");
  });

  it("upserts a contact by email: new the first time, the same id the second; 207 for a bad input", async () => {
    const upsert = (email: string, properties: Record<string, string>) =>
      call(`${base}/crm/v3/objects/contacts/batch/upsert`, {
        headers: auth,
        body: { inputs: [{ id: email, idProperty: "email", properties }] },
      });
    const first = await upsert("new.person@example.org", { firstname: "New" });
    expect(first.status).toBe(200);
    const parsed = batchUpsertSchema.parse(first.body);
    expect(parsed.results[0]).toMatchObject({
      new: true,
      properties: { email: "new.person@example.org", firstname: "New" },
    });
    const again = batchUpsertSchema.parse((await upsert("new.person@example.org", { jobtitle: "CTO" })).body);
    expect(again.results[0]).toMatchObject({ id: parsed.results[0]!.id, new: false });
    const bad = await upsert("not-an-email", {});
    expect(bad.status).toBe(207);
    expect(bad.body).toMatchObject({ numErrors: 1, errors: [{ category: "VALIDATION_ERROR" }] });
    expect(batchUpsertSchema.parse(bad.body).errors).toHaveLength(1);
  });

  it("updates a company and refuses an unknown property naming it", async () => {
    const id = sandbox.book.accounts[7]!.companyId;
    const patch = (properties: Record<string, string>) =>
      call(`${base}/crm/v3/objects/companies/${id}`, {
        method: "PATCH",
        headers: auth,
        body: { properties },
      });
    const ok = await patch({ lifecyclestage: "customer" });
    expect(ok.status).toBe(200);
    expect(hubspotObjectSchema.parse(ok.body).properties.lifecyclestage).toBe("customer");
    const bad = await patch({ no_such_field: "x" });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('"name":"no_such_field"');
  });

  it("associates a contact with a company idempotently", async () => {
    const [a, b] = [sandbox.book.accounts[8]!, sandbox.book.contacts[0]!];
    const url = `${base}/crm/v4/objects/contacts/${b.contactId}/associations/default/companies/${a.companyId}`;
    expect((await call(url, { method: "PUT", headers: auth })).status).toBe(200);
    expect((await call(url, { method: "PUT", headers: auth })).status).toBe(200);
    const listed = await call(`${base}/crm/v4/objects/contacts/${b.contactId}/associations/companies`, {
      headers: auth,
    });
    expect(
      listed.body.results.filter((r: { toObjectId: number }) => String(r.toObjectId) === a.companyId),
    ).toHaveLength(1);
  });

  it("answers injected 429s with the policy body and counts them; run-time faults can be cleared", async () => {
    await sandbox.admin.setFaults("hubspot", { rateLimitRate: 1 });
    const limited = await search("companies", { limit: 1 });
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ status: "error", errorType: "RATE_LIMIT", policyName: "SECONDLY" });
    const got = await call(`${base}/crm/v3/objects/companies/${sandbox.book.accounts[0]!.companyId}`, {
      headers: auth,
    });
    expect(got.body.policyName).toBe("TEN_SECONDLY_ROLLING");
    await sandbox.admin.setFaults("hubspot", {});
    expect((await search("companies", { limit: 1 })).status).toBe(200);
    expect((await sandbox.admin.faults()).hubspot?.injected.rate_limit).toBe(2);
  });

  it("commit-then-drop: the note is stored, the client gets no answer", async () => {
    await sandbox.admin.setFaults("hubspot", { commitThenDrop: { rate: 1, operations: ["notes.create"] } });
    const company = sandbox.book.accounts[9]!.companyId;
    const before = sandbox.hubspot!.store.notes.size;
    await expect(
      call(`${base}/crm/v3/objects/notes`, {
        headers: auth,
        body: {
          properties: { hs_timestamp: "2026-11-29T10:00:00.000Z", hs_note_body: "dropped" },
          associations: [
            {
              to: { id: company },
              types: [{ associationCategory: "HUBSPOT_DEFINED", associationTypeId: 190 }],
            },
          ],
        },
      }),
    ).rejects.toThrow();
    await sandbox.admin.setFaults("hubspot", {});
    expect(sandbox.hubspot!.store.notes.size).toBe(before + 1);
  });
});
