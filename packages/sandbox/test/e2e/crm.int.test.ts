import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../../src/index.js";
import { type SpawnedServer, spawnServer } from "./spawn-server.js";

// The built crm server, spawned over stdio, against the HubSpot emulator.

let sandbox: Sandbox;
let crm: SpawnedServer;

type HubSpotState = { notes: Array<{ id: string; companyIds: string[]; body: string }> };

beforeAll(async () => {
  sandbox = await startSandbox({ accounts: 120, vendors: ["hubspot"], ports: { hubspot: 0 } });
  crm = await spawnServer("crm", sandbox.env);
});
afterAll(async () => {
  await crm?.close();
  await sandbox?.stop();
});

describe("crm server against the HubSpot emulator", () => {
  it("reads an account, and reports a domain shared by two companies as ambiguous", async () => {
    const account = sandbox.book.accounts[0]!;
    const read = await crm.call("get_account", { account_id: account.companyId });
    expect(read.error).toBeUndefined();
    expect(JSON.stringify(read.data)).toContain(account.domain);
    const shared = sandbox.book.accounts.find(
      (a, i, all) => all.findIndex((b) => b.domain === a.domain) !== i,
    )!;
    const ambiguous = await crm.call("get_account", { domain: shared.domain });
    expect(ambiguous.data).toMatchObject({ account: null, ambiguous: true });
    expect(ambiguous.data!.matches).toHaveLength(2);
  });

  it("reconciles a note whose create was committed and then dropped: one note, found by its marker", async () => {
    const account = sandbox.book.accounts[10]!;
    const args = {
      account_id: account.companyId,
      body: "Quarterly check-in: usage is up.",
      timestamp: "2026-11-20T15:30:00Z",
      occurrence: "2026-11-20",
    };
    await sandbox.admin.setFaults("hubspot", { commitThenDrop: { rate: 1, operations: ["notes.create"] } });
    const lost = await crm.call("log_activity_note", args);
    expect(lost.error).toMatchObject({ retryable: true, sideEffect: "unknown" });
    await sandbox.admin.setFaults("hubspot", {});
    const notesOf = async () =>
      (await sandbox.admin.state<HubSpotState>("hubspot")).notes.filter((n) =>
        n.companyIds.includes(account.companyId),
      );
    expect(await notesOf()).toHaveLength(1);

    const again = await crm.call("log_activity_note", args);
    expect(again.error).toBeUndefined();
    const [stored] = await notesOf();
    expect(again.data).toMatchObject({ note_id: stored!.id, replayed: true });
    expect(stored!.body).toMatch(/\[gtm-mcp ref [0-9a-f]{24}\]$/);

    const third = await crm.call("log_activity_note", args);
    expect(third.data).toMatchObject({ note_id: stored!.id, replayed: true });
    expect(await notesOf()).toHaveLength(1);
    expect((await sandbox.admin.faults()).hubspot?.injected.commit_then_drop).toBe(1);
  });

  it("lists the account's activity including the note just written", async () => {
    const account = sandbox.book.accounts[10]!;
    const activity = await crm.call("list_account_activity", { account_id: account.companyId });
    expect(activity.error).toBeUndefined();
    expect(JSON.stringify(activity.data)).toContain("Quarterly check-in");
  });
});
