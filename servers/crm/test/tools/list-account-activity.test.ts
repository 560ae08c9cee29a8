import { describe, expect, it } from "vitest";
import { PATHS } from "../support/api-version.js";
import { connectCrm, NOW } from "../support/connect.js";
import { associationsPage, company, errorBody, note, searchPage } from "../support/hubspot-fixtures.js";
import { NOTE_BY_ID } from "../support/note-routes.js";

const COMPANY = PATHS.object("companies", "42");
const ASSOCIATIONS = PATHS.associationsBatchRead("companies", "notes");
const NOTE_SEARCH = PATHS.search("notes");
const DAY = 86_400_000;
const daysAgo = (n: number) => new Date(NOW - n * DAY).toISOString();

type SearchBody = {
  filterGroups: Array<{
    filters: Array<{ propertyName: string; operator: string; value?: string; values?: string[] }>;
  }>;
};

describe("list_account_activity", () => {
  it("reads the account, follows association paging, searches the notes and keeps those in the window, newest first", async () => {
    const crm = await connectCrm();
    crm.hubspot.on("GET", COMPANY).reply({ status: 200, body: company("42") });
    crm.hubspot.on("POST", ASSOCIATIONS).replySequence([
      { status: 200, body: associationsPage(["1", "2"], "page-2") },
      { status: 200, body: associationsPage(["3"]) },
    ]);
    crm.hubspot.on("POST", NOTE_SEARCH).reply({
      status: 200,
      body: {
        total: 3,
        results: [
          note("1", "Intro call", daysAgo(20)),
          note("3", "<p>Pricing sent</p>", daysAgo(2)),
          note("2", "Old", daysAgo(40)),
        ],
      },
    });

    const { data, error } = await crm.call("list_account_activity", { account_id: "42", days: 30 });
    expect(error).toBeUndefined();
    expect(data).toEqual({
      account_id: "42",
      notes: [
        { id: "3", body: "<p>Pricing sent</p>", timestamp: daysAgo(2) },
        { id: "1", body: "Intro call", timestamp: daysAgo(20) },
      ],
      next_cursor: null,
    });

    const calls = crm.hubspot.calls();
    expect(calls.map((c) => `${c.method} ${c.pathname}`)).toEqual([
      `GET ${COMPANY}`,
      `POST ${ASSOCIATIONS}`,
      `POST ${ASSOCIATIONS}`,
      `POST ${NOTE_SEARCH}`,
    ]);
    // The date-based batch read: the company as the one input, the next page's `after` in it.
    expect(calls[1]!.body).toEqual({ inputs: [{ id: "42" }] });
    expect(calls[2]!.body).toEqual({ inputs: [{ id: "42", after: "page-2" }] });
    const search = calls[3]!.body as SearchBody & { properties: string[] };
    // Ids only, newest first: the window is applied locally, as it must be for notes read by id.
    expect(search.filterGroups).toEqual([
      { filters: [{ propertyName: "hs_object_id", operator: "IN", values: ["3", "2", "1"] }] },
    ]);
    expect(search.properties).toEqual(["hs_note_body", "hs_timestamp"]);
  });

  it("pages with an opaque cursor", async () => {
    const crm = await connectCrm();
    crm.hubspot.on("GET", COMPANY).reply({ status: 200, body: company("42") }, { times: 2 });
    crm.hubspot
      .on("POST", ASSOCIATIONS)
      .reply({ status: 200, body: associationsPage(["1", "2", "3"]) }, { times: 2 });
    const notes = [note("1", "a", daysAgo(3)), note("2", "b", daysAgo(2)), note("3", "c", daysAgo(1))];
    crm.hubspot
      .on("POST", NOTE_SEARCH)
      .reply({ status: 200, body: { total: 3, results: notes } }, { times: 2 });

    const first = await crm.call("list_account_activity", { account_id: "42", limit: 2 });
    expect(first.data.notes.map((n: { id: string }) => n.id)).toEqual(["3", "2"]);
    expect(first.data.next_cursor).toEqual(expect.any(String));
    const second = await crm.call("list_account_activity", {
      account_id: "42",
      limit: 2,
      cursor: first.data.next_cursor,
    });
    expect(second.data.notes.map((n: { id: string }) => n.id)).toEqual(["1"]);
    expect(second.data.next_cursor).toBeNull();
  });

  it("searches more than 100 notes in chunks of at most 100 ids, newest ids first", async () => {
    const crm = await connectCrm();
    const ids = Array.from({ length: 150 }, (_, i) => String(1000 + i));
    crm.hubspot.on("GET", COMPANY).reply({ status: 200, body: company("42") });
    crm.hubspot.on("POST", ASSOCIATIONS).reply({ status: 200, body: associationsPage(ids) });
    // Each chunk's search returns its notes: one recent note per chunk, the rest out of the window.
    const chunkWith = (id: string) => (body: unknown) =>
      (body as SearchBody).filterGroups[0]!.filters[0]!.values!.includes(id);
    const notesOf = (from: number, to: number, recent: string, at: string) =>
      ids.slice(from, to).map((id) => note(id, id, id === recent ? at : daysAgo(40)));
    crm.hubspot
      .on("POST", NOTE_SEARCH, { body: chunkWith("1149") })
      .reply({ status: 200, body: searchPage(notesOf(50, 150, "1149", daysAgo(0))) });
    crm.hubspot
      .on("POST", NOTE_SEARCH, { body: chunkWith("1000") })
      .reply({ status: 200, body: searchPage(notesOf(0, 50, "1000", daysAgo(1))) });

    const { data, error } = await crm.call("list_account_activity", { account_id: "42" });
    expect(error).toBeUndefined();
    expect(data.notes.map((n: { id: string }) => n.id)).toEqual(["1149", "1000"]);
    const searches = crm.hubspot.calls().filter((c) => c.pathname === NOTE_SEARCH);
    const chunks = searches.map((c) => (c.body as SearchBody).filterGroups[0]!.filters[0]!.values!);
    expect(chunks.map((c) => c.length)).toEqual([100, 50]);
    expect(chunks[0]![0]).toBe("1149");
    expect(crm.hubspot.calls().some((c) => NOTE_BY_ID.test(c.pathname))).toBe(false);
  });

  it("gives [] for an account with no notes, without a search", async () => {
    const crm = await connectCrm();
    crm.hubspot.on("GET", COMPANY).reply({ status: 200, body: company("42") });
    crm.hubspot.on("POST", ASSOCIATIONS).reply({ status: 200, body: { results: [] } });
    const { data, error } = await crm.call("list_account_activity", { account_id: "42" });
    expect(error).toBeUndefined();
    expect(data).toEqual({ account_id: "42", notes: [], next_cursor: null });
    expect(crm.hubspot.calls().some((c) => c.pathname === NOTE_SEARCH)).toBe(false);
  });

  it("reads a 207 whose error says the company has no notes as no notes, and refuses any other batch error", async () => {
    const crm = await connectCrm();
    crm.hubspot.on("GET", COMPANY).reply({ status: 200, body: company("42") }, { persist: true });
    const batchError = (subCategory: string, message: string) => ({
      status: 207,
      body: {
        status: "COMPLETE",
        results: [],
        numErrors: 1,
        errors: [
          {
            status: "error",
            category: "OBJECT_NOT_FOUND",
            subCategory,
            message,
            context: { fromObjectId: ["42"] },
            errors: [],
            links: {},
          },
        ],
        startedAt: "2026-11-21T12:00:00.000Z",
        completedAt: "2026-11-21T12:00:00.010Z",
      },
    });
    crm.hubspot
      .on("POST", ASSOCIATIONS)
      .replySequence([
        batchError("crm.associations.NO_ASSOCIATIONS_FOUND", "No notes is associated with company 42."),
        batchError("crm.associations.INVALID_OBJECT", "Object 42 could not be read: <raw vendor text>"),
      ]);
    const none = await crm.call("list_account_activity", { account_id: "42" });
    expect(none.error).toBeUndefined();
    expect(none.data).toEqual({ account_id: "42", notes: [], next_cursor: null });

    const refused = await crm.call("list_account_activity", { account_id: "42" });
    expect(refused.error).toMatchObject({ code: "UPSTREAM_REJECTED", retryable: false, sideEffect: "none" });
    expect(refused.error!.message).toContain("could not be read");
    expect(crm.hubspot.calls().some((c) => c.pathname === NOTE_SEARCH)).toBe(false);
  });

  it("answers a missing account with NOT_FOUND before reading associations", async () => {
    const crm = await connectCrm();
    crm.hubspot
      .on("GET", COMPANY)
      .reply({ status: 404, body: errorBody("OBJECT_NOT_FOUND", "Object not found.") });
    const { error } = await crm.call("list_account_activity", { account_id: "42" });
    expect(error).toMatchObject({ code: "NOT_FOUND", field: "account_id" });
    expect(crm.hubspot.calls()).toHaveLength(1);
  });

  it("refuses days outside 1–365", async () => {
    const crm = await connectCrm();
    expect((await crm.call("list_account_activity", { account_id: "42", days: 366 })).error).toMatchObject({
      field: "days",
    });
    expect((await crm.call("list_account_activity", { account_id: "42", days: 0 })).error).toMatchObject({
      field: "days",
    });
  });
});
