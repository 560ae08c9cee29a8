import { describe, expect, it } from "vitest";
import { NOTE_BODY_LIMIT, NOTE_BODY_MAX } from "../../src/model/note-marker.js";
import { connectCrm } from "../support/connect.js";
import {
  associationsPage,
  errorBody,
  hubspotObject,
  note,
  rateLimited,
} from "../support/hubspot-fixtures.js";

const NOTES = "/crm/v3/objects/notes";
const ASSOCIATIONS = "/crm/v4/objects/companies/42/associations/notes";
const NOTE_SEARCH = "/crm/v3/objects/notes/search";
const MARKER = /\n\n\[gtm-mcp ref [0-9a-f]{24}\]$/;

const args = {
  account_id: "42",
  contact_id: "901",
  body: "Discovery call: budget confirmed.",
  timestamp: "2026-11-20T15:30:00Z",
  occurrence: "2026-11-20",
};

type NoteRequest = {
  properties: { hs_note_body: string; hs_timestamp: string };
  associations: Array<{
    to: { id: string };
    types: Array<{ associationCategory: string; associationTypeId: number }>;
  }>;
};

const created = (id: string, sent: NoteRequest) => ({
  status: 201,
  body: note(id, sent.properties.hs_note_body, sent.properties.hs_timestamp),
});

describe("log_activity_note", () => {
  it("creates one note with a key-derived marker and the note→company (190) and note→contact (202) associations", async () => {
    const crm = await connectCrm();
    crm.hubspot.on("POST", NOTES).reply({ status: 201, body: note("7001", "x", "2026-11-20T15:30:00.000Z") });
    const { data, error } = await crm.call("log_activity_note", args);
    expect(error).toBeUndefined();
    expect(data).toMatchObject({
      note_id: "7001",
      account_id: "42",
      contact_id: "901",
      timestamp: "2026-11-20T15:30:00.000Z",
      replayed: false,
    });

    const sent = crm.hubspot.calls()[0]!.body as NoteRequest;
    expect(sent.properties.hs_timestamp).toBe("2026-11-20T15:30:00.000Z");
    expect(sent.properties.hs_note_body.startsWith(args.body)).toBe(true);
    expect(sent.properties.hs_note_body).toMatch(MARKER);
    expect(sent.associations).toEqual([
      { to: { id: "42" }, types: [{ associationCategory: "HUBSPOT_DEFINED", associationTypeId: 190 }] },
      { to: { id: "901" }, types: [{ associationCategory: "HUBSPOT_DEFINED", associationTypeId: 202 }] },
    ]);

    const again = await crm.call("log_activity_note", args);
    expect(again.data).toEqual({ ...data, replayed: true });
    expect(crm.hubspot.calls()).toHaveLength(1);
  });

  it("stamps the same marker for the same account and occurrence, another for another occurrence", async () => {
    const crm = await connectCrm();
    crm.hubspot
      .on("POST", NOTES)
      .reply({ status: 201, body: note("1", "x", "2026-11-20T15:30:00Z") }, { times: 2 });
    const first = await crm.call("log_activity_note", args);
    const other = await crm.call("log_activity_note", { ...args, occurrence: "follow-up-2" });
    const [a, b] = crm.hubspot
      .calls()
      .map((c) => (c.body as NoteRequest).properties.hs_note_body.match(MARKER)![0]);
    expect(a).not.toBe(b);
    expect(first.data.idempotency_key).not.toBe(other.data.idempotency_key);
  });

  it("accepts a body that fits with the marker, refuses one that does not", async () => {
    const crm = await connectCrm();
    const tooLong = await crm.call("log_activity_note", { ...args, body: "x".repeat(NOTE_BODY_MAX + 1) });
    expect(tooLong.error).toMatchObject({ code: "INVALID_INPUT", field: "body" });
    expect(crm.hubspot.calls()).toHaveLength(0);

    crm.hubspot.on("POST", NOTES).reply({ status: 201, body: note("1", "x", "2026-11-20T15:30:00Z") });
    await crm.call("log_activity_note", { ...args, body: "x".repeat(NOTE_BODY_MAX) });
    expect((crm.hubspot.calls()[0]!.body as NoteRequest).properties.hs_note_body).toHaveLength(
      NOTE_BODY_LIMIT,
    );
  });

  it("does not re-send a create answered 5xx; the next call reconciles first, then writes once", async () => {
    const crm = await connectCrm();
    crm.hubspot.on("POST", NOTES).reply({ status: 500, body: errorBody("INTERNAL_ERROR", "internal error") });
    const failed = await crm.call("log_activity_note", args);
    expect(failed.error).toMatchObject({
      code: "UPSTREAM_UNAVAILABLE",
      retryable: true,
      sideEffect: "unknown",
    });
    expect(crm.hubspot.calls().filter((c) => c.method === "POST" && c.pathname === NOTES)).toHaveLength(1);

    // The 500 came after HubSpot wrote nothing: reconciling finds no marked note, so the note is written.
    crm.hubspot.on("GET", ASSOCIATIONS).reply({ status: 200, body: associationsPage(["10"]) });
    crm.hubspot.on("POST", NOTE_SEARCH).reply({
      status: 200,
      body: { total: 1, results: [note("10", "older note", "2026-11-01T00:00:00Z")] },
    });
    crm.hubspot.on("POST", NOTES).reply({ status: 201, body: note("7002", "x", "2026-11-20T15:30:00Z") });
    const retried = await crm.call("log_activity_note", args);
    expect(retried.data).toMatchObject({ note_id: "7002", replayed: false });
    expect(crm.hubspot.calls().map((c) => `${c.method} ${c.pathname}`)).toEqual([
      `POST ${NOTES}`,
      `GET ${ASSOCIATIONS}`,
      `POST ${NOTE_SEARCH}`,
      `POST ${NOTES}`,
    ]);
  });

  it("after the connection drops on a create that reached HubSpot, the next call finds the note by its marker and writes nothing", async () => {
    const crm = await connectCrm();
    crm.hubspot.on("POST", NOTES).dropAfterRequest();
    const lost = await crm.call("log_activity_note", args);
    expect(lost.error).toMatchObject({ code: "UPSTREAM_TIMEOUT", retryable: true, sideEffect: "unknown" });
    const sent = crm.hubspot.calls()[0]!.body as NoteRequest;

    // HubSpot did create it: the account's notes now include one with the marker.
    crm.hubspot.on("GET", ASSOCIATIONS).reply({ status: 200, body: associationsPage(["10", "7003"]) });
    crm.hubspot.on("POST", NOTE_SEARCH).reply({
      status: 200,
      body: {
        total: 2,
        results: [created("7003", sent).body, note("10", "older note", "2026-11-01T00:00:00Z")],
      },
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
    const search = crm.hubspot.calls().find((c) => c.pathname === NOTE_SEARCH)!.body as {
      filterGroups: Array<{ filters: Array<{ propertyName: string; operator: string; values?: string[] }> }>;
    };
    expect(search.filterGroups[0]!.filters).toEqual([
      { propertyName: "hs_object_id", operator: "IN", values: ["7003", "10"] },
    ]);
    expect(crm.hubspot.calls().filter((c) => c.method === "POST" && c.pathname === NOTES)).toHaveLength(1);

    // Settled: a third call replays without asking HubSpot anything.
    const count = crm.hubspot.calls().length;
    expect((await crm.call("log_activity_note", args)).data).toMatchObject({
      note_id: "7003",
      replayed: true,
    });
    expect(crm.hubspot.calls()).toHaveLength(count);
  });

  it("answers OUTCOME_UNKNOWN and writes nothing when reconciling cannot read HubSpot", async () => {
    const crm = await connectCrm();
    crm.hubspot.on("POST", NOTES).dropAfterRequest();
    await crm.call("log_activity_note", args);
    crm.hubspot.on("GET", ASSOCIATIONS).reply({ status: 503, body: "unavailable" }, { persist: true });
    const unknown = await crm.call("log_activity_note", args);
    expect(unknown.error).toMatchObject({ code: "OUTCOME_UNKNOWN", retryable: true, sideEffect: "unknown" });
    expect(crm.hubspot.calls().filter((c) => c.method === "POST" && c.pathname === NOTES)).toHaveLength(1);
  });

  it("answers OUTCOME_UNKNOWN while an associated note is not yet searchable", async () => {
    const crm = await connectCrm();
    crm.hubspot.on("POST", NOTES).dropAfterRequest();
    await crm.call("log_activity_note", args);
    crm.hubspot.on("GET", ASSOCIATIONS).reply({ status: 200, body: associationsPage(["10", "7003"]) });
    crm.hubspot
      .on("POST", NOTE_SEARCH)
      .reply({ status: 200, body: { total: 1, results: [note("10", "older", "2026-11-01T00:00:00Z")] } });
    const unknown = await crm.call("log_activity_note", args);
    expect(unknown.error).toMatchObject({ code: "OUTCOME_UNKNOWN" });
    expect(crm.hubspot.calls().filter((c) => c.method === "POST" && c.pathname === NOTES)).toHaveLength(1);
  });

  it("releases the key on a rate limit (nothing written), so the next call writes", async () => {
    const crm = await connectCrm();
    crm.hubspot.on("POST", NOTES).reply(rateLimited("SECONDLY"));
    const limited = await crm.call("log_activity_note", args);
    expect(limited.error).toMatchObject({ code: "RATE_LIMITED", retryAfterMs: 1000, sideEffect: "none" });
    expect(crm.hubspot.calls()).toHaveLength(1);

    crm.hubspot
      .on("POST", NOTES)
      .reply({ status: 201, body: hubspotObject("7004", { hs_timestamp: "2026-11-20T15:30:00.000Z" }) });
    const ok = await crm.call("log_activity_note", args);
    expect(ok.data).toMatchObject({ note_id: "7004", replayed: false });
    expect(crm.hubspot.calls()).toHaveLength(2);
  });

  it("refuses the same account and occurrence with a different body", async () => {
    const crm = await connectCrm();
    crm.hubspot.on("POST", NOTES).reply({ status: 201, body: note("1", "x", "2026-11-20T15:30:00Z") });
    await crm.call("log_activity_note", args);
    const reused = await crm.call("log_activity_note", { ...args, body: "Something else" });
    expect(reused.error).toMatchObject({
      code: "IDEMPOTENCY_KEY_REUSED",
      details: { differingFields: ["body"] },
    });
    expect(crm.hubspot.calls()).toHaveLength(1);
  });

  it("defaults the timestamp to now and requires an occurrence", async () => {
    const crm = await connectCrm();
    const missing = await crm.call("log_activity_note", { account_id: "42", body: "x" });
    expect(missing.error).toMatchObject({ code: "INVALID_INPUT", field: "occurrence" });
    crm.hubspot.on("POST", NOTES).reply({ status: 201, body: hubspotObject("5", {}) });
    const { data } = await crm.call("log_activity_note", { account_id: "42", body: "x", occurrence: "a" });
    expect((crm.hubspot.calls()[0]!.body as NoteRequest).properties.hs_timestamp).toBe(
      "2026-11-21T12:00:00.000Z",
    );
    expect(data).toMatchObject({ timestamp: "2026-11-21T12:00:00.000Z", contact_id: null });
    expect((crm.hubspot.calls()[0]!.body as NoteRequest).associations).toHaveLength(1);
  });
});
