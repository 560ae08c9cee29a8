import type { RecordedCall } from "@gtm-mcp/tool-kit/testing";
import { PATHS } from "./api-version.js";
import type { Crm } from "./connect.js";
import { company, hubspotObject } from "./hubspot-fixtures.js";

// The HubSpot paths the note tools use, and stubs of the records a note is logged on.

/** `POST` creates a note. */
export const NOTES = PATHS.objects("notes");
/** The associations batch read (company → notes): `POST` with `{inputs:[{id:"42"}]}`. */
export const ASSOCIATIONS = PATHS.associationsBatchRead("companies", "notes");
/** Note search. */
export const NOTE_SEARCH = PATHS.search("notes");
/** Company 42, read to check it exists before a note is written. */
export const COMPANY = PATHS.object("companies", "42");
/** Contact 901, read to check it exists before a note is written. */
export const CONTACT = PATHS.object("contacts", "901");
/** Any note read by id. */
export const NOTE_BY_ID = new RegExp(`^${NOTES}/\\d+$`);
/** A note read by id. */
export const noteById = (id: string) => `${NOTES}/${id}`;

/** The marker appended to a body that fits with it. */
export const MARKER = /\n\n\[gtm-mcp ref [0-9a-f]{24}\]$/;

/** What a note create sends. */
export type NoteRequest = {
  properties: { hs_note_body: string; hs_timestamp: string };
  associations: Array<{
    to: { id: string };
    types: Array<{ associationCategory: string; associationTypeId: number }>;
  }>;
};

/** Company 42 and contact 901 exist (answered as often as asked). */
export function stubTargets(crm: Crm): void {
  crm.hubspot.on("GET", COMPANY).reply({ status: 200, body: company("42") }, { persist: true });
  crm.hubspot.on("GET", CONTACT).reply({ status: 200, body: hubspotObject("901", {}) }, { persist: true });
}

/** The note creates HubSpot received. */
export function notePosts(crm: Crm): RecordedCall[] {
  return crm.hubspot.calls().filter((c) => c.method === "POST" && c.pathname === NOTES);
}

/** The requests, as `METHOD pathname`, leaving out the existence checks of company and contact. */
export function requestsBeyondChecks(crm: Crm): string[] {
  return crm.hubspot
    .calls()
    .filter((c) => c.method !== "GET" || (c.pathname !== COMPANY && c.pathname !== CONTACT))
    .map((c) => `${c.method} ${c.pathname}`);
}
