import { describe, expect, it } from "vitest";
import { NOTE_BODY_LIMIT } from "../../src/model/note-marker.js";
import { connectCrm } from "../support/connect.js";
import { associationsPage, errorBody, note, searchPage } from "../support/hubspot-fixtures.js";
import {
  ASSOCIATIONS,
  NOTE_BY_ID,
  NOTE_SEARCH,
  NOTES,
  type NoteRequest,
  noteById,
  notePosts,
  requestsBeyondChecks,
  stubTargets,
} from "../support/note-routes.js";

const args = {
  account_id: "42",
  contact_id: "901",
  body: "Discovery call: budget confirmed.",
  timestamp: "2026-11-20T15:30:00Z",
  occurrence: "2026-11-20",
};

type SearchBody = {
  filterGroups: Array<{ filters: Array<{ propertyName: string; operator: string; values?: string[] }> }>;
};

const oneMsLater = (iso: string) => new Date(Date.parse(iso) + 1).toISOString();

/** A connected server whose first note create reached HubSpot but whose answer was lost. */
async function afterLostCreate(callArgs: Record<string, unknown> = args) {
  const crm = await connectCrm();
  stubTargets(crm);
  crm.hubspot.on("POST", NOTES).dropAfterRequest();
  const lost = await crm.call("log_activity_note", callArgs);
  expect(lost.error).toMatchObject({ code: "UPSTREAM_TIMEOUT", retryable: true, sideEffect: "unknown" });
  const sent = notePosts(crm)[0]!.body as NoteRequest;
  return { crm, sent };
}

describe("log_activity_note reconciling an unknown outcome", () => {
  it("does not re-send a create answered 5xx; the next call reconciles first, then writes once", async () => {
    const crm = await connectCrm();
    stubTargets(crm);
    crm.hubspot.on("POST", NOTES).reply({ status: 500, body: errorBody("INTERNAL_ERROR", "internal error") });
    const failed = await crm.call("log_activity_note", args);
    expect(failed.error).toMatchObject({
      code: "UPSTREAM_UNAVAILABLE",
      retryable: true,
      sideEffect: "unknown",
    });
    expect(notePosts(crm)).toHaveLength(1);

    // The 500 came after HubSpot wrote nothing: reconciling finds no marked note, so the note is written.
    crm.hubspot.on("POST", ASSOCIATIONS).reply({ status: 200, body: associationsPage(["10"]) });
    crm.hubspot.on("POST", NOTE_SEARCH).reply({
      status: 200,
      body: searchPage([note("10", "older note", "2026-11-01T00:00:00Z")]),
    });
    crm.hubspot.on("POST", NOTES).reply({ status: 201, body: note("7002", "x", "2026-11-20T15:30:00Z") });
    const retried = await crm.call("log_activity_note", args);
    expect(retried.data).toMatchObject({ note_id: "7002", replayed: false });
    expect(requestsBeyondChecks(crm)).toEqual([
      `POST ${NOTES}`,
      `POST ${ASSOCIATIONS}`,
      `POST ${NOTE_SEARCH}`,
      `POST ${NOTES}`,
    ]);
  });

  it("after the connection drops on a create that reached HubSpot, the next call finds the note by its marker and writes nothing", async () => {
    const { crm, sent } = await afterLostCreate();
    // HubSpot did create it: the account's notes now include one with the marker.
    crm.hubspot.on("POST", ASSOCIATIONS).reply({ status: 200, body: associationsPage(["10", "7003"]) });
    crm.hubspot.on("POST", NOTE_SEARCH).reply({
      status: 200,
      body: searchPage([
        note("7003", sent.properties.hs_note_body, sent.properties.hs_timestamp),
        note("10", "older note", "2026-11-01T00:00:00Z"),
      ]),
    });
    const again = await crm.call("log_activity_note", args);
    expect(again.error).toBeUndefined();
    expect(again.data).toMatchObject({
      note_id: "7003",
      account_id: "42",
      contact_id: "901",
      timestamp: "2026-11-20T15:30:00.000Z",
      replayed: true,
    });
    const search = crm.hubspot.calls().find((c) => c.pathname === NOTE_SEARCH)!.body as SearchBody;
    // The ids only, newest first: no time filter (a note read by id could not honour one anyway).
    expect(search.filterGroups[0]!.filters).toEqual([
      { propertyName: "hs_object_id", operator: "IN", values: ["7003", "10"] },
    ]);
    expect(notePosts(crm)).toHaveLength(1);

    // Settled: a third call replays without asking HubSpot anything.
    const count = crm.hubspot.calls().length;
    expect((await crm.call("log_activity_note", args)).data).toMatchObject({
      note_id: "7003",
      replayed: true,
    });
    expect(crm.hubspot.calls()).toHaveLength(count);
  });

  it("finds the note by reading it by id when search ignores hs_object_id, and writes nothing", async () => {
    const { crm, sent } = await afterLostCreate();
    crm.hubspot.on("POST", ASSOCIATIONS).reply({ status: 200, body: associationsPage(["10", "7003"]) });
    // A HubSpot that filters only on stored properties: hs_object_id matches nothing.
    crm.hubspot.on("POST", NOTE_SEARCH).reply({ status: 200, body: searchPage([]) });
    crm.hubspot.on("GET", noteById("7003")).reply({
      status: 200,
      body: note("7003", sent.properties.hs_note_body, sent.properties.hs_timestamp),
    });
    crm.hubspot
      .on("GET", noteById("10"))
      .reply({ status: 200, body: note("10", "older note", "2026-11-01T00:00:00Z") });

    const again = await crm.call("log_activity_note", args);
    expect(again.error).toBeUndefined();
    expect(again.data).toMatchObject({ note_id: "7003", replayed: true });
    expect(notePosts(crm)).toHaveLength(1);
    const read = crm.hubspot.calls().find((c) => c.method === "GET" && NOTE_BY_ID.test(c.pathname))!;
    expect(read.pathname).toBe(noteById("7003"));
    expect(read.query).toEqual({ properties: "hs_note_body,hs_timestamp" });
  });

  it("finds a note whose body left no room for the marker by its body and timestamp signature", async () => {
    const long = { ...args, body: "z".repeat(NOTE_BODY_LIMIT) };
    const { crm, sent } = await afterLostCreate(long);
    expect(sent.properties.hs_note_body).toBe(long.body);
    // Checked newest first: the two later notes are not ours (same text at another millisecond,
    // same millisecond with other text), so only the signature on 7005 can pick it.
    crm.hubspot
      .on("POST", ASSOCIATIONS)
      .reply({ status: 200, body: associationsPage(["7005", "7006", "7007"]) });
    crm.hubspot.on("POST", NOTE_SEARCH).reply({
      status: 200,
      body: searchPage([
        note("7007", long.body, oneMsLater(sent.properties.hs_timestamp)),
        note("7006", "z", sent.properties.hs_timestamp),
        note("7005", long.body, sent.properties.hs_timestamp),
      ]),
    });
    const again = await crm.call("log_activity_note", long);
    expect(again.error).toBeUndefined();
    expect(again.data).toMatchObject({
      note_id: "7005",
      timestamp: sent.properties.hs_timestamp,
      replayed: true,
    });
    expect(notePosts(crm)).toHaveLength(1);
  });

  it("does not take a same-body note at another millisecond for its own: it writes once", async () => {
    const long = { ...args, body: "z".repeat(NOTE_BODY_LIMIT) };
    const { crm, sent } = await afterLostCreate(long);
    const otherMs = oneMsLater(sent.properties.hs_timestamp);
    crm.hubspot.on("POST", ASSOCIATIONS).reply({ status: 200, body: associationsPage(["12"]) });
    crm.hubspot
      .on("POST", NOTE_SEARCH)
      .reply({ status: 200, body: searchPage([note("12", long.body, otherMs)]) });
    crm.hubspot
      .on("POST", NOTES)
      .reply({ status: 201, body: note("7006", "x", sent.properties.hs_timestamp) });
    const again = await crm.call("log_activity_note", long);
    expect(again.data).toMatchObject({ note_id: "7006", replayed: false });
    expect(notePosts(crm)).toHaveLength(2);
  });

  it("answers OUTCOME_UNKNOWN and writes nothing when reconciling cannot read HubSpot", async () => {
    const { crm } = await afterLostCreate();
    crm.hubspot.on("POST", ASSOCIATIONS).reply({ status: 503, body: "unavailable" }, { persist: true });
    const unknown = await crm.call("log_activity_note", args);
    expect(unknown.error).toMatchObject({ code: "OUTCOME_UNKNOWN", retryable: true, sideEffect: "unknown" });
    expect(notePosts(crm)).toHaveLength(1);
  });

  it("answers OUTCOME_UNKNOWN while an associated note can be neither searched nor read by id", async () => {
    const { crm } = await afterLostCreate();
    crm.hubspot.on("POST", ASSOCIATIONS).reply({ status: 200, body: associationsPage(["10", "7003"]) });
    crm.hubspot
      .on("POST", NOTE_SEARCH)
      .reply({ status: 200, body: searchPage([note("10", "older", "2026-11-01T00:00:00Z")]) });
    crm.hubspot
      .on("GET", noteById("7003"))
      .reply({ status: 404, body: errorBody("OBJECT_NOT_FOUND", "Object not found.") });
    const unknown = await crm.call("log_activity_note", args);
    expect(unknown.error).toMatchObject({ code: "OUTCOME_UNKNOWN" });
    expect(notePosts(crm)).toHaveLength(1);
  });
});
