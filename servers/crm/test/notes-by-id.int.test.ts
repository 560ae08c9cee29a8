import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { PATHS } from "./support/api-version.js";
import { type HubSpotStub, startHubSpotStub } from "./support/hubspot-stub.js";
import { ENTRY, type SpawnedCrm, spawnCrm } from "./support/spawn-crm.js";

const TOKEN = "pat-na1-e2e-notes-by-id";
let dir: string;
let stub: HubSpotStub;
let crm: SpawnedCrm;

beforeAll(() => {
  if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run \`pnpm build\` first (pnpm test does)`);
});
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "crm-notes-"));
  // A HubSpot whose note search filters stored properties only: hs_object_id finds nothing.
  stub = await startHubSpotStub({ portalId: 1, token: TOKEN, searchByObjectId: false });
  crm = await spawnCrm(stub.url, dir, TOKEN);
});
afterEach(async () => {
  await crm.close();
  await stub.close();
  rmSync(dir, { recursive: true, force: true });
});

const noteCreates = () =>
  stub.requests.filter((r) => r.method === "POST" && r.pathname === PATHS.objects("notes"));

describe("the built CRM server against a HubSpot whose search ignores hs_object_id", () => {
  it("reconciles a note whose create answer was lost by reading the notes by id, and writes no second note", async () => {
    const args = {
      account_id: "42",
      contact_id: "901",
      body: "Kickoff",
      occurrence: "k1",
      timestamp: "2026-11-20T10:00:00Z",
    };
    stub.dropNoteCreates(1);
    const lost = await crm.call("log_activity_note", args);
    expect(lost.error).toMatchObject({ code: "UPSTREAM_TIMEOUT", sideEffect: "unknown" });
    expect(stub.notes.size).toBe(1);

    const again = await crm.call("log_activity_note", args);
    expect(again.error).toBeUndefined();
    expect(again.data).toMatchObject({ note_id: [...stub.notes.keys()][0], replayed: true });
    expect(noteCreates()).toHaveLength(1);
    expect(
      stub.requests.some((r) => r.method === "GET" && r.pathname.startsWith(`${PATHS.objects("notes")}/`)),
    ).toBe(true);
  });

  it("lists the account's notes, read by id, newest first", async () => {
    for (const [occurrence, timestamp] of [
      ["a", "2026-11-01T09:00:00Z"],
      ["b", "2026-11-03T09:00:00Z"],
    ]) {
      const { error } = await crm.call("log_activity_note", {
        account_id: "42",
        body: occurrence,
        occurrence,
        timestamp,
      });
      expect(error).toBeUndefined();
    }
    const { data, error } = await crm.call("list_account_activity", { account_id: "42", days: 365 });
    expect(error).toBeUndefined();
    expect((data!.notes as Array<{ timestamp: string }>).map((n) => n.timestamp)).toEqual([
      "2026-11-03T09:00:00.000Z",
      "2026-11-01T09:00:00.000Z",
    ]);
  });

  it("answers a note on a missing account or contact with NOT_FOUND naming the field, and writes nothing", async () => {
    const account = await crm.call("log_activity_note", { account_id: "999", body: "x", occurrence: "m" });
    expect(account.error).toMatchObject({ code: "NOT_FOUND", field: "account_id", sideEffect: "none" });
    const contact = await crm.call("log_activity_note", {
      account_id: "42",
      contact_id: "77",
      body: "x",
      occurrence: "m",
    });
    expect(contact.error).toMatchObject({ code: "NOT_FOUND", field: "contact_id", sideEffect: "none" });
    expect(noteCreates()).toHaveLength(0);
  });
});
