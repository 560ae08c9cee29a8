import { describe, expect, it } from "vitest";
import { MAX_NOTE_GETS } from "../../src/upstream/read-notes.js";
import { PATHS } from "../support/api-version.js";
import { connectCrm, NOW } from "../support/connect.js";
import {
  associationsPage,
  company,
  errorBody,
  hubspotObject,
  note,
  searchPage,
} from "../support/hubspot-fixtures.js";
import { NOTE_BY_ID, NOTE_SEARCH, noteById } from "../support/note-routes.js";

const COMPANY = PATHS.object("companies", "42");
const ASSOCIATIONS = PATHS.associationsBatchRead("companies", "notes");
const DAY = 86_400_000;
const daysAgo = (n: number) => new Date(NOW - n * DAY).toISOString();
const idsOf = (data: { notes: Array<{ id: string }> }) => data.notes.map((n) => n.id);

/** Company 42 with these associated notes; the note search finds none of them (it ignores hs_object_id). */
async function withUnsearchableNotes(ids: string[], times = 1) {
  const crm = await connectCrm();
  crm.hubspot.on("GET", COMPANY).reply({ status: 200, body: company("42") }, { times });
  crm.hubspot.on("POST", ASSOCIATIONS).reply({ status: 200, body: associationsPage(ids) }, { times });
  crm.hubspot.on("POST", NOTE_SEARCH).reply({ status: 200, body: searchPage([]) }, { persist: true });
  return crm;
}

describe("list_account_activity when search does not return the notes", () => {
  it("reads them by id, applies the window locally (hs_timestamp, else createdAt), newest first", async () => {
    const crm = await withUnsearchableNotes(["1", "2", "3", "4", "5"]);
    crm.hubspot.on("GET", noteById("1")).reply({ status: 200, body: note("1", "Intro", daysAgo(20)) });
    crm.hubspot.on("GET", noteById("2")).reply({ status: 200, body: note("2", "Old", daysAgo(40)) });
    crm.hubspot.on("GET", noteById("3")).reply({ status: 200, body: note("3", "Pricing", daysAgo(2)) });
    // No hs_timestamp: dated by createdAt, 5 days ago (in) and in 2025 (out).
    crm.hubspot.on("GET", noteById("4")).reply({
      status: 200,
      body: { ...hubspotObject("4", { hs_note_body: "Undated" }), createdAt: daysAgo(5) },
    });
    crm.hubspot
      .on("GET", noteById("5"))
      .reply({ status: 200, body: hubspotObject("5", { hs_note_body: "?" }) });

    const { data, error } = await crm.call("list_account_activity", { account_id: "42", days: 30 });
    expect(error).toBeUndefined();
    expect(data).toEqual({
      account_id: "42",
      notes: [
        { id: "3", body: "Pricing", timestamp: daysAgo(2) },
        { id: "4", body: "Undated", timestamp: daysAgo(5) },
        { id: "1", body: "Intro", timestamp: daysAgo(20) },
      ],
      next_cursor: null,
    });
    const reads = crm.hubspot.calls().filter((c) => NOTE_BY_ID.test(c.pathname));
    expect(reads.map((c) => c.pathname).sort()).toEqual(["1", "2", "3", "4", "5"].map(noteById));
    expect(reads.every((c) => c.query.properties === "hs_note_body,hs_timestamp")).toBe(true);
  });

  it("falls back to reading by id when HubSpot refuses the search filter", async () => {
    const crm = await connectCrm();
    crm.hubspot.on("GET", COMPANY).reply({ status: 200, body: company("42") });
    crm.hubspot.on("POST", ASSOCIATIONS).reply({ status: 200, body: associationsPage(["5"]) });
    crm.hubspot.on("POST", NOTE_SEARCH).reply({
      status: 400,
      body: errorBody("VALIDATION_ERROR", "Property hs_object_id is not filterable"),
    });
    crm.hubspot.on("GET", noteById("5")).reply({ status: 200, body: note("5", "Hello", daysAgo(1)) });
    const { data, error } = await crm.call("list_account_activity", { account_id: "42" });
    expect(error).toBeUndefined();
    expect(idsOf(data)).toEqual(["5"]);
  });

  it("fails with UPSTREAM_UNAVAILABLE (retryable), never a silently short list, when a note cannot be read", async () => {
    const crm = await withUnsearchableNotes(["1", "2", "3"]);
    crm.hubspot.on("GET", noteById("1")).reply({ status: 200, body: note("1", "a", daysAgo(1)) });
    crm.hubspot
      .on("GET", noteById("2"))
      .reply({ status: 404, body: errorBody("OBJECT_NOT_FOUND", "Object not found.") });
    crm.hubspot.on("GET", noteById("3")).reply({ status: 200, body: note("3", "c", daysAgo(1)) });
    const { error } = await crm.call("list_account_activity", { account_id: "42" });
    expect(error).toMatchObject({
      code: "UPSTREAM_UNAVAILABLE",
      retryable: true,
      details: { unreadCount: 1, unreadNoteIds: ["2"] },
    });
    expect(error!.message).toMatch(/1 of the 3 notes/);
  });

  it(`reads at most ${MAX_NOTE_GETS} notes by id in one call, and says how many it could not read`, async () => {
    const ids = Array.from({ length: MAX_NOTE_GETS + 5 }, (_, i) => String(2000 + i));
    const crm = await withUnsearchableNotes(ids);
    crm.hubspot
      .on("GET", NOTE_BY_ID)
      .reply({ status: 200, body: note("2000", "x", daysAgo(1)) }, { persist: true });
    const { error } = await crm.call("list_account_activity", { account_id: "42" });
    expect(error).toMatchObject({ code: "UPSTREAM_UNAVAILABLE", details: { unreadCount: 5 } });
    const reads = crm.hubspot.calls().filter((c) => NOTE_BY_ID.test(c.pathname));
    expect(reads).toHaveLength(MAX_NOTE_GETS);
    // Newest first: the oldest ids are the ones left unread.
    expect(reads.map((c) => c.pathname)).not.toContain(noteById("2000"));
  });

  it("pages by position, so a note logged between two pages is neither repeated nor skipped", async () => {
    const crm = await withUnsearchableNotes(["1", "2", "3"]);
    for (const [id, age] of [
      ["1", 3],
      ["2", 2],
      ["3", 1],
    ] as const) {
      crm.hubspot
        .on("GET", noteById(id))
        .reply({ status: 200, body: note(id, id, daysAgo(age)) }, { times: 2 });
    }
    const first = await crm.call("list_account_activity", { account_id: "42", limit: 2 });
    expect(idsOf(first.data)).toEqual(["3", "2"]);

    // A newer note arrives before the second page.
    crm.hubspot.on("GET", COMPANY).reply({ status: 200, body: company("42") });
    crm.hubspot.on("POST", ASSOCIATIONS).reply({ status: 200, body: associationsPage(["1", "2", "3", "4"]) });
    crm.hubspot.on("GET", noteById("4")).reply({ status: 200, body: note("4", "4", daysAgo(0)) });
    const second = await crm.call("list_account_activity", {
      account_id: "42",
      limit: 2,
      cursor: first.data.next_cursor,
    });
    expect(second.error).toBeUndefined();
    expect(idsOf(second.data)).toEqual(["1"]);
    expect(second.data.next_cursor).toBeNull();
  });

  it("refuses a cursor it did not issue", async () => {
    const crm = await connectCrm();
    const { error } = await crm.call("list_account_activity", { account_id: "42", cursor: "abc" });
    expect(error).toMatchObject({ code: "INVALID_INPUT", field: "cursor" });
    expect(crm.hubspot.calls()).toHaveLength(0);
  });
});
