import { describe, expect, it } from "vitest";
import { NOTE_BODY_LIMIT, NOTE_MARKER_LENGTH, timestampSignature } from "../../src/model/note-marker.js";
import { connectCrm } from "../support/connect.js";
import { errorBody, hubspotObject, note, rateLimited } from "../support/hubspot-fixtures.js";
import {
  COMPANY,
  CONTACT,
  MARKER,
  NOTES,
  type NoteRequest,
  notePosts,
  stubTargets,
} from "../support/note-routes.js";

const args = {
  account_id: "42",
  contact_id: "901",
  body: "Discovery call: budget confirmed.",
  timestamp: "2026-11-20T15:30:00Z",
  occurrence: "2026-11-20",
};

const sentNote = (crm: Awaited<ReturnType<typeof connectCrm>>, i = 0) =>
  notePosts(crm)[i]!.body as NoteRequest;

describe("log_activity_note", () => {
  it("checks company and contact exist, then creates one note with a key-derived marker and the 190 and 202 associations", async () => {
    const crm = await connectCrm();
    stubTargets(crm);
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

    const calls = crm.hubspot.calls();
    expect(calls.map((c) => `${c.method} ${c.pathname}`)).toEqual([
      `GET ${COMPANY}`,
      `GET ${CONTACT}`,
      `POST ${NOTES}`,
    ]);
    // An existence check asks for no properties.
    expect(calls[0]!.query).toEqual({});
    const sent = sentNote(crm);
    expect(sent.properties.hs_timestamp).toBe("2026-11-20T15:30:00.000Z");
    expect(sent.properties.hs_note_body.startsWith(args.body)).toBe(true);
    expect(sent.properties.hs_note_body).toMatch(MARKER);
    expect(sent.associations).toEqual([
      { to: { id: "42" }, types: [{ associationCategory: "HUBSPOT_DEFINED", associationTypeId: 190 }] },
      { to: { id: "901" }, types: [{ associationCategory: "HUBSPOT_DEFINED", associationTypeId: 202 }] },
    ]);

    const again = await crm.call("log_activity_note", args);
    expect(again.data).toEqual({ ...data, replayed: true });
    expect(crm.hubspot.calls()).toHaveLength(3);
  });

  it("stamps the same marker for the same account and occurrence, another for another occurrence", async () => {
    const crm = await connectCrm();
    stubTargets(crm);
    crm.hubspot
      .on("POST", NOTES)
      .reply({ status: 201, body: note("1", "x", "2026-11-20T15:30:00Z") }, { times: 2 });
    const first = await crm.call("log_activity_note", args);
    const other = await crm.call("log_activity_note", { ...args, occurrence: "follow-up-2" });
    const [a, b] = notePosts(crm).map(
      (c) => (c.body as NoteRequest).properties.hs_note_body.match(MARKER)![0],
    );
    expect(a).not.toBe(b);
    expect(first.data.idempotency_key).not.toBe(other.data.idempotency_key);
  });

  it("appends the marker to a body that fits with it, filling HubSpot's limit exactly", async () => {
    const crm = await connectCrm();
    stubTargets(crm);
    crm.hubspot.on("POST", NOTES).reply({ status: 201, body: note("1", "x", "2026-11-20T15:30:00Z") });
    const body = "x".repeat(NOTE_BODY_LIMIT - NOTE_MARKER_LENGTH);
    const { error } = await crm.call("log_activity_note", { ...args, body });
    expect(error).toBeUndefined();
    const sent = sentNote(crm);
    expect(sent.properties.hs_note_body).toHaveLength(NOTE_BODY_LIMIT);
    expect(sent.properties.hs_note_body).toMatch(MARKER);
    expect(sent.properties.hs_timestamp).toBe("2026-11-20T15:30:00.000Z");
  });

  it("accepts a 65,536-character body whole, stamping the key in the timestamp's milliseconds instead", async () => {
    const crm = await connectCrm();
    stubTargets(crm);
    const body = "y".repeat(NOTE_BODY_LIMIT);
    crm.hubspot.on("POST", NOTES).reply({ status: 201, body: note("7010", "x", "2026-11-20T15:30:00.123Z") });
    const { data, error } = await crm.call("log_activity_note", { ...args, body });
    expect(error).toBeUndefined();
    expect(notePosts(crm)).toHaveLength(1);
    const sent = sentNote(crm);
    expect(sent.properties.hs_note_body).toBe(body);
    const signature = timestampSignature(data.idempotency_key);
    expect(sent.properties.hs_timestamp).toBe(
      new Date(Date.parse("2026-11-20T15:30:00Z") + signature).toISOString(),
    );
    expect(data).toMatchObject({ note_id: "7010", replayed: false });
  });

  it("refuses a body over 65,536 characters as INVALID_INPUT on body, before calling HubSpot", async () => {
    const crm = await connectCrm();
    const tooLong = await crm.call("log_activity_note", { ...args, body: "x".repeat(NOTE_BODY_LIMIT + 1) });
    expect(tooLong.error).toMatchObject({ code: "INVALID_INPUT", field: "body", sideEffect: "none" });
    expect(crm.hubspot.calls()).toHaveLength(0);
  });

  it("answers an unknown account with NOT_FOUND on account_id and writes nothing", async () => {
    const crm = await connectCrm();
    crm.hubspot
      .on("GET", COMPANY)
      .reply({ status: 404, body: errorBody("OBJECT_NOT_FOUND", "Object not found.") });
    const { error } = await crm.call("log_activity_note", args);
    expect(error).toMatchObject({
      code: "NOT_FOUND",
      field: "account_id",
      retryable: false,
      sideEffect: "none",
    });
    expect(notePosts(crm)).toHaveLength(0);
  });

  it("answers an unknown contact with NOT_FOUND on contact_id and writes nothing", async () => {
    const crm = await connectCrm();
    crm.hubspot.on("GET", COMPANY).reply({ status: 200, body: hubspotObject("42", {}) });
    crm.hubspot
      .on("GET", CONTACT)
      .reply({ status: 404, body: errorBody("OBJECT_NOT_FOUND", "Object not found.") });
    const { error } = await crm.call("log_activity_note", args);
    expect(error).toMatchObject({ code: "NOT_FOUND", field: "contact_id", sideEffect: "none" });
    expect(notePosts(crm)).toHaveLength(0);
  });

  it("maps a 404 from the create itself (the company went away) to NOT_FOUND on account_id", async () => {
    const crm = await connectCrm();
    stubTargets(crm);
    crm.hubspot
      .on("POST", NOTES)
      .reply({ status: 404, body: errorBody("OBJECT_NOT_FOUND", "Object not found.") });
    const { error } = await crm.call("log_activity_note", args);
    expect(error).toMatchObject({ code: "NOT_FOUND", field: "account_id", sideEffect: "none" });
  });

  it("re-sends a create refused with 429 (HubSpot did nothing); a lasting limit releases the key, so the next call writes", async () => {
    const crm = await connectCrm();
    stubTargets(crm);
    crm.hubspot.on("POST", NOTES).reply(rateLimited("SECONDLY"), { times: 3 });
    const limited = await crm.call("log_activity_note", args);
    expect(limited.error).toMatchObject({ code: "RATE_LIMITED", retryAfterMs: 1000, sideEffect: "none" });
    expect(notePosts(crm)).toHaveLength(3);

    crm.hubspot
      .on("POST", NOTES)
      .reply({ status: 201, body: hubspotObject("7004", { hs_timestamp: "2026-11-20T15:30:00.000Z" }) });
    const ok = await crm.call("log_activity_note", args);
    expect(ok.data).toMatchObject({ note_id: "7004", replayed: false });
    expect(notePosts(crm)).toHaveLength(4);
  });

  it("refuses the same account and occurrence with a different body", async () => {
    const crm = await connectCrm();
    stubTargets(crm);
    crm.hubspot.on("POST", NOTES).reply({ status: 201, body: note("1", "x", "2026-11-20T15:30:00Z") });
    await crm.call("log_activity_note", args);
    const reused = await crm.call("log_activity_note", { ...args, body: "Something else" });
    expect(reused.error).toMatchObject({
      code: "IDEMPOTENCY_KEY_REUSED",
      details: { differingFields: ["body"] },
    });
    expect(notePosts(crm)).toHaveLength(1);
  });

  it("defaults the timestamp to now, checks no contact when none is given, and requires an occurrence", async () => {
    const crm = await connectCrm();
    const missing = await crm.call("log_activity_note", { account_id: "42", body: "x" });
    expect(missing.error).toMatchObject({ code: "INVALID_INPUT", field: "occurrence" });
    stubTargets(crm);
    crm.hubspot.on("POST", NOTES).reply({ status: 201, body: hubspotObject("5", {}) });
    const { data } = await crm.call("log_activity_note", { account_id: "42", body: "x", occurrence: "a" });
    expect(sentNote(crm).properties.hs_timestamp).toBe("2026-11-21T12:00:00.000Z");
    expect(data).toMatchObject({ timestamp: "2026-11-21T12:00:00.000Z", contact_id: null });
    expect(sentNote(crm).associations).toHaveLength(1);
    expect(crm.hubspot.calls().some((c) => c.pathname === CONTACT)).toBe(false);
  });
});
