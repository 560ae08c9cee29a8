import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ElicitRequestFormParams } from "@modelcontextprotocol/server";
import { afterEach, describe, expect, it } from "vitest";
import { type ConnectedEmail, connectEmail, draftArgs } from "./support/connect.js";
import { startGmailStub } from "./support/gmail-stub.js";

const opened: ConnectedEmail[] = [];
afterEach(async () => {
  for (const e of opened.splice(0)) await e.close();
});
async function open(options: Parameters<typeof connectEmail>[0] = {}) {
  const e = await connectEmail(options);
  opened.push(e);
  return e;
}
const DAY = 86_400_000;

async function draftTo(email: ConnectedEmail, to: string, occurrence = "o1"): Promise<string> {
  const [, domain] = to.split("@");
  const out = await email.call(
    "create_outreach_draft",
    draftArgs({ to, account_domain: domain, occurrence }),
  );
  expect(out.isError, out.text).toBe(false);
  return out.structured!.draft_id as string;
}

describe("send_draft in on mode", () => {
  it("sends once; a repeat replays; the draft is gone and the message is in Sent", async () => {
    const email = await open({ sendMode: "on" });
    const id = await draftTo(email, "jane@acme.test");
    const sent = await email.call("send_draft", { draft_id: id });
    expect(sent.structured).toMatchObject({
      draft_id: id,
      to: ["jane@acme.test"],
      confirmed_by_person: false,
      replayed: false,
    });
    expect(email.stub.sent).toHaveLength(1);
    const again = await email.call("send_draft", { draft_id: id });
    expect(again.structured).toMatchObject({ replayed: true, message_id: sent.structured!.message_id });
    expect(email.stub.sent).toHaveLength(1);
  });

  it("holds the per-run send cap; a refused send uses nothing", async () => {
    const email = await open({ sendMode: "on", caps: { sends: 2 } });
    const ids = [
      await draftTo(email, "a@acme.test"),
      await draftTo(email, "b@acme.test"),
      await draftTo(email, "c@acme.test"),
    ];
    expect((await email.call("send_draft", { draft_id: ids[0] })).isError).toBe(false);
    expect((await email.call("send_draft", { draft_id: ids[1] })).isError).toBe(false);
    const third = await email.call("send_draft", { draft_id: ids[2] });
    expect(third.error).toMatchObject({
      code: "CAP_EXCEEDED",
      retryable: false,
      details: { cap: "sends", limit: 2 },
    });
    expect(email.stub.sent).toHaveLength(2);
  });

  it("refuses a second send to a recipient within the cooldown, naming it, with retryAfterMs; another recipient is fine", async () => {
    const email = await open({ sendMode: "on", cooldownDays: 3 });
    const first = await draftTo(email, "jane@acme.test", "o1");
    const second = await draftTo(email, "jane@acme.test", "o2");
    const other = await draftTo(email, "joe@acme.test", "o1");
    expect((await email.call("send_draft", { draft_id: first })).isError).toBe(false);
    const refused = await email.call("send_draft", { draft_id: second });
    expect(refused.error).toMatchObject({
      code: "CAP_EXCEEDED",
      retryable: false,
      details: { window: "recipient_cooldown", subject: "jane@acme.test" },
    });
    expect(refused.error.message).toMatch(/recipient_cooldown/);
    const retryAfterMs = refused.error.retryAfterMs as number;
    expect(retryAfterMs).toBeGreaterThan(3 * DAY - 60_000);
    expect(retryAfterMs).toBeLessThanOrEqual(3 * DAY);
    expect((await email.call("send_draft", { draft_id: other })).isError).toBe(false);
    expect(email.stub.sent.map((m) => m.to)).toEqual(["jane@acme.test", "joe@acme.test"]);
    // The refused send used no cap.
    expect(await email.store.capUsage("sends", email.test.runtime.runId)).toBe(2);
  });

  it("holds the cooldown across two runs and two server processes sharing the store", async () => {
    const stateUrl = `sqlite:${join(mkdtempSync(join(tmpdir(), "cooldown-")), "state.sqlite")}`;
    const runA = await open({ sendMode: "on", stateUrl, runId: "run-a" });
    const runB = await open({ sendMode: "on", stateUrl, runId: "run-b", stub: runA.stub });
    const first = await draftTo(runA, "jane@acme.test", "o1");
    const second = await draftTo(runB, "jane@acme.test", "o2");
    expect((await runA.call("send_draft", { draft_id: first })).isError).toBe(false);
    const refused = await runB.call("send_draft", { draft_id: second });
    expect(refused.error).toMatchObject({ code: "CAP_EXCEEDED", details: { window: "recipient_cooldown" } });
    expect(runA.stub.sent).toHaveLength(1);
  });

  it("cooldown 0 turns the cooldown off", async () => {
    const email = await open({ sendMode: "on", cooldownDays: 0 });
    const a = await draftTo(email, "jane@acme.test", "o1");
    const b = await draftTo(email, "jane@acme.test", "o2");
    expect((await email.call("send_draft", { draft_id: a })).isError).toBe(false);
    expect((await email.call("send_draft", { draft_id: b })).isError).toBe(false);
  });

  it("a send whose answer was lost is found among sent mail by its Message-ID: sent once", async () => {
    const email = await open({ sendMode: "on" });
    const id = await draftTo(email, "jane@acme.test");
    email.stub.fault("drafts.send", { drop: true }, { apply: true });
    const out = await email.call("send_draft", { draft_id: id });
    expect(out.isError, out.text).toBe(false);
    expect(out.structured).toMatchObject({ draft_id: id, message_id: email.stub.sent[0]!.id });
    const again = await email.call("send_draft", { draft_id: id });
    expect(again.structured).toMatchObject({ replayed: true });
    expect(email.stub.sent).toHaveLength(1);
  });

  it("a lost send that could not be checked at once is reconciled by the next call: sent once, read from Sent", async () => {
    const email = await open({ sendMode: "on" });
    const id = await draftTo(email, "jane@acme.test");
    email.stub.fault("drafts.send", { drop: true }, { apply: true });
    // The immediate look among sent mail fails too: the outcome stays unknown.
    email.stub.fault("messages.list", { status: 503, body: "busy" });
    email.stub.fault("messages.list", { status: 503, body: "busy" });
    email.stub.fault("messages.list", { status: 503, body: "busy" });
    const lost = await email.call("send_draft", { draft_id: id });
    expect(lost.error).toMatchObject({ sideEffect: "unknown", retryable: true });
    expect(email.stub.sent).toHaveLength(1);
    const retry = await email.call("send_draft", { draft_id: id });
    expect(retry.structured, retry.text).toMatchObject({
      replayed: true,
      message_id: email.stub.sent[0]!.id,
      to: ["jane@acme.test"],
      subject: "Quick question about your rollout",
    });
    expect(email.stub.sent).toHaveLength(1);
  });

  it("a lost send is reconciled from Sent by a new process over the same store (a restart): sent once, not OUTCOME_UNKNOWN", async () => {
    const stateUrl = `sqlite:${join(mkdtempSync(join(tmpdir(), "restart-")), "state.sqlite")}`;
    const stub = await startGmailStub();
    const first = await connectEmail({ sendMode: "on", stateUrl, stub });
    const id = await draftTo(first, "jane@acme.test");
    first.stub.fault("drafts.send", { drop: true }, { apply: true });
    // The immediate look among sent mail fails too: the process ends with the outcome unknown.
    for (let i = 0; i < 3; i++) first.stub.fault("messages.list", { status: 503, body: "busy" });
    const lost = await first.call("send_draft", { draft_id: id });
    expect(lost.error).toMatchObject({ sideEffect: "unknown", retryable: true });
    expect(first.stub.sent).toHaveLength(1);
    await first.close();

    // A new process (new server, runtime and store connection) over the same state file.
    const second = await open({ sendMode: "on", stateUrl, stub });
    try {
      const retry = await second.call("send_draft", { draft_id: id });
      expect(retry.isError, retry.text).toBe(false);
      expect(retry.structured).toMatchObject({
        replayed: true,
        draft_id: id,
        message_id: stub.sent[0]!.id,
        to: ["jane@acme.test"],
      });
      expect(stub.sent).toHaveLength(1);
      // Completed: a further repeat replays it without asking Gmail to send.
      const again = await second.call("send_draft", { draft_id: id });
      expect(again.structured).toMatchObject({ replayed: true, message_id: stub.sent[0]!.id });
      expect(stub.requests.filter((r) => r.pathname.endsWith("/drafts/send"))).toHaveLength(1);
    } finally {
      await stub.close();
    }
  });

  it.each([
    ["a recipient added", (m: { to: string; text: string }) => (m.to = "jane@acme.test, boss@acme.test")],
    ["the body edited", (m: { to: string; text: string }) => (m.text = "Hi Jane, a different offer.")],
  ])("a draft changed between its check and the send (%s) is refused: nothing sent", async (_, edit) => {
    const email = await open({ sendMode: "on" });
    const id = await draftTo(email, "jane@acme.test");
    // The person edits the draft after the first read (the cooldown check), before the send.
    email.stub.beforeEach("drafts.get", (count) => {
      if (count === 2) edit(email.stub.drafts.get(id)!);
    });
    const out = await email.call("send_draft", { draft_id: id });
    expect(out.error).toMatchObject({ code: "CONFLICT", retryable: false, sideEffect: "none" });
    expect(out.error.message).toMatch(/changed after its recipients were checked .*nothing was sent/);
    expect(email.stub.sent).toHaveLength(0);
    expect(email.stub.requests.filter((r) => r.pathname.endsWith("/drafts/send"))).toHaveLength(0);
  });

  it("NOT_FOUND for a draft that does not exist; a recipient suppressed after drafting is not sent to", async () => {
    const suppressed = new Set<string>();
    const email = await open({
      sendMode: "on",
      suppression: { match: (address) => (suppressed.has(address) ? address : undefined) },
    });
    const missing = await email.call("send_draft", { draft_id: "r424242" });
    expect(missing.error).toMatchObject({ code: "NOT_FOUND" });
    const id = await draftTo(email, "bob@acme.test");
    const sendsBefore = await email.store.capUsage("sends", email.test.runtime.runId);
    suppressed.add("bob@acme.test");
    const refused = await email.call("send_draft", { draft_id: id });
    expect(refused.error).toMatchObject({ code: "INVALID_INPUT", field: "draft_id" });
    expect(refused.error.message).toMatch(/suppression list/);
    expect(email.stub.sent).toHaveLength(0);
    // Refused before the claim: no cap, no cooldown, no key kept; once allowed again, it sends.
    expect(await email.store.capUsage("sends", email.test.runtime.runId)).toBe(sendsBefore);
    suppressed.delete("bob@acme.test");
    expect((await email.call("send_draft", { draft_id: id })).structured).toMatchObject({ replayed: false });
  });
});

describe("send_draft in confirm mode (MCP elicitation, form mode)", () => {
  it("shows recipient, subject and the body, and sends on an explicit accept", async () => {
    const asked: ElicitRequestFormParams[] = [];
    const email = await open({
      sendMode: "confirm",
      client: {
        elicit: (params) => {
          asked.push(params);
          return { action: "accept", content: { confirm: true } };
        },
      },
    });
    const id = await draftTo(email, "jane@acme.test");
    const out = await email.call("send_draft", { draft_id: id });
    expect(out.structured).toMatchObject({ confirmed_by_person: true });
    expect(asked).toHaveLength(1);
    expect(asked[0]!.mode ?? "form").toBe("form");
    expect(asked[0]!.message).toContain("To: jane@acme.test");
    expect(asked[0]!.message).toContain("Subject: Quick question about your rollout");
    expect(asked[0]!.message).toContain("Saw your team doubled its seats");
    expect(asked[0]!.requestedSchema.properties).toHaveProperty("confirm");
    expect(email.stub.sent).toHaveLength(1);
  });

  it("shows every recipient (To, Cc, Bcc), the subject and the HTML part as text, bounded with its total length stated", async () => {
    const asked: ElicitRequestFormParams[] = [];
    const email = await open({
      sendMode: "confirm",
      client: {
        elicit: (params) => {
          asked.push(params);
          return { action: "accept", content: { confirm: true } };
        },
      },
    });
    const filler = "lorem ipsum ".repeat(1_000);
    const created = await email.call(
      "create_outreach_draft",
      draftArgs({
        html_body: `<p>Hi Jane, see <a href="https://offer.acme.test/x">our offer</a>.</p><p>${filler}</p><p>THE END</p>`,
      }),
    );
    const id = created.structured!.draft_id as string;
    const draft = email.stub.drafts.get(id)!;
    draft.cc = "cfo@acme.test";
    draft.bcc = "Ops <ops@acme.test>";
    const out = await email.call("send_draft", { draft_id: id });
    expect(out.structured, out.text).toMatchObject({ confirmed_by_person: true });
    const message = asked[0]!.message;
    expect(message).toContain("To: jane@acme.test");
    expect(message).toContain("Cc: cfo@acme.test");
    expect(message).toContain("Bcc: ops@acme.test");
    expect(message).toContain("Subject: Quick question about your rollout");
    // The HTML part, reduced to text, link target included; the plain part differs, so it is shown too.
    expect(message).toMatch(/HTML part, shown as text \(12,\d{3} characters; the first 10,000 shown/);
    expect(message).toContain("Hi Jane, see our offer [https://offer.acme.test/x].");
    expect(message).not.toContain("<p>");
    expect(message).not.toContain("THE END");
    expect(message.length).toBeLessThan(10_000 + 1_000);
    expect(email.stub.sent).toHaveLength(1);
  });

  it.each(["decline", "cancel"] as const)("%s: nothing sent, key released, no cap used", async (action) => {
    let answer: "decline" | "cancel" | "accept" = action;
    const email = await open({
      sendMode: "confirm",
      client: {
        elicit: () =>
          answer === "accept" ? { action: "accept", content: { confirm: true } } : { action: answer },
      },
    });
    const id = await draftTo(email, "jane@acme.test");
    const out = await email.call("send_draft", { draft_id: id });
    expect(out.error).toMatchObject({ code: "PERMISSION_DENIED", retryable: false, sideEffect: "none" });
    expect(email.stub.sent).toHaveLength(0);
    expect(email.stub.drafts.has(id)).toBe(true);
    expect(await email.store.capUsage("sends", email.test.runtime.runId)).toBe(0);
    // Released, and the cooldown too: the person can still send it later.
    answer = "accept";
    const later = await email.call("send_draft", { draft_id: id });
    expect(later.structured, later.text).toMatchObject({ confirmed_by_person: true, replayed: false });
    expect(email.stub.sent).toHaveLength(1);
  });

  it("a client without elicitation gets a terminal error saying so, and nothing is sent", async () => {
    const email = await open({ sendMode: "confirm" });
    const id = await draftTo(email, "jane@acme.test");
    const out = await email.call("send_draft", { draft_id: id });
    expect(out.error).toMatchObject({
      code: "PERMISSION_DENIED",
      retryable: false,
      details: { confirmation: "unsupported" },
    });
    expect(out.error.message).toMatch(/elicitation/);
    expect(email.stub.sent).toHaveLength(0);
    expect(await email.store.capUsage("sends", email.test.runtime.runId)).toBe(0);
  });
});
