import {
  accountDetailsSchema,
  associationsBatchSchema,
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
/** The version under test; 2026-03 and the legacy paths have tests of their own below. */
const V = "2026-09";
const search = (type: string, body: unknown, version = V) =>
  call(`${base}/crm/objects/${version}/${type}/search`, { headers: auth, body });

beforeAll(async () => {
  sandbox = await startSandbox({ accounts: 200, vendors: ["hubspot"], ports: { hubspot: 0 } });
  base = sandbox.urls.hubspot!;
});
afterAll(() => sandbox.stop());

describe("HubSpot emulator", () => {
  it("answers the identity check with the book's portal", async () => {
    const answer = await call(`${base}/account-info/${V}/details`, { headers: auth });
    expect(answer.status).toBe(200);
    expect(accountDetailsSchema.parse(answer.body).portalId).toBe(String(sandbox.book.portalId));
  });

  it("refuses a missing token with 401 and a token without scopes with 403, in HubSpot's error shape", async () => {
    const none = await call(`${base}/account-info/${V}/details`);
    expect(none.status).toBe(401);
    expect(none.body).toMatchObject({
      status: "error",
      category: "INVALID_AUTHENTICATION",
      correlationId: expect.any(String),
    });
    const denied = await call(`${base}/account-info/${V}/details`, {
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
      `${base}/crm/objects/${V}/companies/${account.companyId}?properties=name,domain&associations=contacts`,
      { headers: auth },
    );
    expect(answer.status).toBe(200);
    const company = hubspotObjectSchema.parse(answer.body);
    expect(company.properties).toMatchObject({ name: account.name, domain: account.domain });
    expect(answer.body.associations.contacts.results.length).toBeGreaterThanOrEqual(2);
    const missing = await call(`${base}/crm/objects/${V}/companies/1`, { headers: auth });
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ status: "error", category: "OBJECT_NOT_FOUND" });
  });

  it("creates a note (201) associated to the company, lists it through the associations batch read and finds it by id", async () => {
    const company = sandbox.book.accounts[5]!.companyId;
    const created = await call(`${base}/crm/objects/${V}/notes`, {
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
    const listed = await call(`${base}/crm/associations/${V}/companies/notes/batch/read`, {
      headers: auth,
      body: { inputs: [{ id: company }] },
    });
    expect(listed.status).toBe(200);
    const [result] = associationsBatchSchema.parse(listed.body).results;
    expect(result!.from.id).toBe(company);
    expect(result!.to.map((t) => t.toObjectId)).toContain(note.id);
    expect(listed.body.results[0].to[0].toObjectId).toEqual(expect.any(String));
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
    const answer = await call(`${base}/crm/objects/${V}/notes`, {
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
      call(`${base}/crm/objects/${V}/contacts/batch/upsert`, {
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
      call(`${base}/crm/objects/${V}/companies/${id}`, {
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
    const url = `${base}/crm/objects/${V}/contacts/${b.contactId}/associations/default/companies/${a.companyId}`;
    expect((await call(url, { method: "PUT", headers: auth })).status).toBe(200);
    expect((await call(url, { method: "PUT", headers: auth })).status).toBe(200);
    const listed = await call(`${base}/crm/associations/${V}/contacts/companies/batch/read`, {
      headers: auth,
      body: { inputs: [{ id: b.contactId }] },
    });
    expect(
      listed.body.results[0].to.filter((t: { toObjectId: string }) => t.toObjectId === a.companyId),
    ).toHaveLength(1);
  });

  it("serves 2026-03 as well, and answers the legacy v3/v4 paths and unknown versions 404 like any unknown route", async () => {
    const details = await call(`${base}/account-info/2026-03/details`, { headers: auth });
    expect(accountDetailsSchema.parse(details.body).portalId).toBe(String(sandbox.book.portalId));
    const account = sandbox.book.accounts[4]!;
    const found = await search(
      "companies",
      { filterGroups: [{ filters: [{ propertyName: "domain", operator: "EQ", value: account.domain }] }] },
      "2026-03",
    );
    expect(searchPageSchema.parse(found.body).results.map((r) => r.id)).toContain(account.companyId);
    for (const legacy of [
      { method: "GET", path: "/account-info/v3/details" },
      { method: "GET", path: `/crm/v3/objects/companies/${account.companyId}` },
      { method: "POST", path: "/crm/v3/objects/companies/search", body: {} },
      { method: "GET", path: `/crm/v4/objects/companies/${account.companyId}/associations/notes` },
      { method: "GET", path: `/crm/objects/2025-09/companies/${account.companyId}` },
    ]) {
      const answer = await call(`${base}${legacy.path}`, {
        method: legacy.method,
        headers: auth,
        ...(legacy.body ? { body: legacy.body } : {}),
      });
      expect(answer.status, legacy.path).toBe(404);
    }
  });

  it("enforces the account's validation rules on writes from 2026-09 only, in HubSpot's refusal shape", async () => {
    const rules = `${base}/_sandbox/validation-rules`;
    const rule = {
      objectType: "contacts",
      property: "firstname",
      pattern: "^\\p{L}*$",
      code: "INVALID_ALPHA",
      message: "Enter only letters",
    };
    expect((await call(rules, { method: "PUT", body: { rules: [{ ...rule, pattern: "(" }] } })).status).toBe(
      400,
    );
    expect((await call(rules, { method: "PUT", body: { rules: [rule] } })).status).toBe(200);
    const upsert = (version: string, firstname: string) =>
      call(`${base}/crm/objects/${version}/contacts/batch/upsert`, {
        headers: auth,
        body: { inputs: [{ id: "rule.person@example.org", idProperty: "email", properties: { firstname } }] },
      });
    const refused = await upsert("2026-09", "Ada2");
    expect(refused.status).toBe(207);
    expect(refused.body.errors[0]).toMatchObject({ category: "VALIDATION_ERROR", links: {} });
    expect(JSON.parse(refused.body.errors[0].message.replace(/^[^[]*/, ""))).toEqual([
      { isValid: false, message: "Enter only letters", error: "INVALID_ALPHA", name: "firstname" },
    ]);
    expect((await upsert("2026-09", "Ada")).status).toBe(200);
    // 2026-03 does not enforce the account's rules.
    expect((await upsert("2026-03", "Ada2")).status).toBe(200);

    const company = sandbox.book.accounts[11]!.companyId;
    await call(rules, {
      method: "PUT",
      body: {
        rules: [{ ...rule, objectType: "companies", property: "city", message: "City: letters only" }],
      },
    });
    const patched = await call(`${base}/crm/objects/2026-09/companies/${company}`, {
      method: "PATCH",
      headers: auth,
      body: { properties: { city: "Paris 75" } },
    });
    expect(patched.status).toBe(400);
    expect(patched.body).toMatchObject({ status: "error", category: "VALIDATION_ERROR" });
    expect(patched.body.message).toBe(
      'Property values were not valid: [{"isValid":false,"message":"City: letters only","error":"INVALID_ALPHA","name":"city"}]',
    );
    expect((await call(rules, { method: "DELETE" })).body).toEqual({ rules: [] });
    const again = await call(`${base}/crm/objects/2026-09/companies/${company}`, {
      method: "PATCH",
      headers: auth,
      body: { properties: { city: "Paris 75" } },
    });
    expect(again.status).toBe(200);
  });

  it("answers injected 429s with the policy body and counts them; run-time faults can be cleared", async () => {
    await sandbox.admin.setFaults("hubspot", { rateLimitRate: 1 });
    const limited = await search("companies", { limit: 1 });
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ status: "error", errorType: "RATE_LIMIT", policyName: "SECONDLY" });
    const got = await call(`${base}/crm/objects/${V}/companies/${sandbox.book.accounts[0]!.companyId}`, {
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
      call(`${base}/crm/objects/${V}/notes`, {
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
