import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GmailAdminState, type Sandbox, startSandbox } from "../../src/index.js";
import { type SpawnedServer, spawnServer } from "./spawn-server.js";

// The built email server, spawned over stdio, against the Gmail emulator and its OAuth
// token endpoint (sends on, so send_draft is listed).

let sandbox: Sandbox;
let email: SpawnedServer;

beforeAll(async () => {
  sandbox = await startSandbox({ accounts: 200, vendors: ["gmail"], ports: { gmail: 0 } });
  email = await spawnServer("email", { ...sandbox.env, EMAIL_SEND_MODE: "on" });
});
afterAll(async () => {
  await email?.close();
  await sandbox?.stop();
});

const state = () => sandbox.admin.state<GmailAdminState>("gmail");

describe("email server against the Gmail emulator", () => {
  it("lists a contact's recent threads from the seeded mailbox", async () => {
    const message = sandbox.book.mailbox.find((m) => m.from !== sandbox.book.seller && m.daysAgo < 25)!;
    const answer = await email.call("list_recent_threads", { contact_email: message.from, days: 30 });
    expect(answer.error).toBeUndefined();
    const threads = answer.data!.threads as Array<Record<string, unknown>>;
    expect(JSON.stringify(threads)).toContain(message.threadId);
  });

  it("reconciles a draft whose create was committed and then dropped, by rfc822msgid: one draft", async () => {
    const contact = sandbox.book.contacts.find((c) => !sandbox.book.suppression.includes(c.email))!;
    const domain = contact.email.split("@")[1]!;
    const args = {
      to: contact.email,
      account_domain: domain,
      subject: "Your usage this quarter",
      body: "Hi, a short note.",
      occurrence: "2026-11-29",
    };
    await sandbox.admin.setFaults("gmail", { commitThenDrop: { rate: 1, operations: ["drafts.create"] } });
    const lost = await email.call("create_outreach_draft", args);
    expect(lost.error).toMatchObject({ retryable: true, sideEffect: "unknown" });
    await sandbox.admin.setFaults("gmail", {});
    expect((await state()).drafts.filter((d) => d.to.includes(contact.email))).toHaveLength(1);

    const again = await email.call("create_outreach_draft", args);
    expect(again.error).toBeUndefined();
    const [draft] = (await state()).drafts.filter((d) => d.to.includes(contact.email));
    expect(again.data).toMatchObject({ draft_id: draft!.draftId, replayed: true });
    expect((await state()).drafts.filter((d) => d.to.includes(contact.email))).toHaveLength(1);

    const sent = await email.call("send_draft", { draft_id: draft!.draftId });
    expect(sent.error).toBeUndefined();
    const resent = await email.call("send_draft", { draft_id: draft!.draftId });
    expect(resent.data).toMatchObject({ replayed: true });
    expect((await state()).sends.filter((s) => s.draftId === draft!.draftId)).toHaveLength(1);
  });

  it("refuses a suppressed recipient before anything reaches Gmail", async () => {
    const blocked = sandbox.book.suppression[0]!;
    const before = (await state()).drafts.length;
    const refused = await email.call("create_outreach_draft", {
      to: blocked,
      account_domain: blocked.split("@")[1]!,
      subject: "Hello",
      body: "Hi.",
      occurrence: "2026-11-29",
    });
    expect(refused.error).toMatchObject({ code: "INVALID_INPUT", field: "to" });
    expect((await state()).drafts.length).toBe(before);
  });
});
