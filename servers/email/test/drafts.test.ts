import { afterEach, describe, expect, it } from "vitest";
import { type ConnectedEmail, connectEmail, draftArgs } from "./support/connect.js";

let email: ConnectedEmail | undefined;
afterEach(async () => {
  await email?.close();
  email = undefined;
});

const creates = (e: ConnectedEmail) =>
  e.stub.requests.filter((r) => r.method === "POST" && r.pathname.endsWith("/drafts"));

describe("the email server's tools", () => {
  it("lists send_draft only when EMAIL_SEND_MODE is not off, and writes only when enabled", async () => {
    email = await connectEmail({ sendMode: "off" });
    expect(await email.listTools()).toEqual(["create_outreach_draft", "get_draft", "list_recent_threads"]);
    // Not merely hidden: it does not exist.
    await expect(email.call("send_draft", { draft_id: "r123" })).rejects.toThrow(/Unknown tool: send_draft/);
    await email.close();
    email = await connectEmail({ sendMode: "confirm" });
    expect(await email.listTools()).toContain("send_draft");
    await email.close();
    email = await connectEmail({ sendMode: "on", writesEnabled: false });
    expect(await email.listTools()).toEqual(["get_draft", "list_recent_threads"]);
  });
});

describe("create_outreach_draft", () => {
  it("creates one draft with a deterministic Message-ID; a repeat replays without creating", async () => {
    email = await connectEmail();
    const first = await email.call("create_outreach_draft", draftArgs());
    expect(first.isError).toBe(false);
    expect(first.structured).toMatchObject({ to: "jane@acme.test", is_reply: false, replayed: false });
    const header = first.structured!.message_id_header as string;
    expect(header).toMatch(/^<gtm\.[0-9a-f]{40}@seller\.test>$/);
    const draft = email.stub.drafts.get(first.structured!.draft_id as string)!;
    expect(draft.messageIdHeader).toBe(header);
    expect(draft.subject).toBe("Quick question about your rollout");
    expect(draft.text).toContain("Saw your team doubled its seats");
    expect(draft.to).toBe("jane@acme.test");

    const again = await email.call("create_outreach_draft", draftArgs());
    expect(again.structured).toMatchObject({ draft_id: first.structured!.draft_id, replayed: true });
    expect(creates(email)).toHaveLength(1);

    // Same (to, occurrence), other text: the key's reuse is named, nothing is created.
    const reused = await email.call("create_outreach_draft", draftArgs({ subject: "Another subject" }));
    expect(reused.error).toMatchObject({ code: "IDEMPOTENCY_KEY_REUSED" });
    expect(reused.error.message).toMatch(/subject/);
    expect(creates(email)).toHaveLength(1);
  });

  it("derives the same Message-ID for the same key in another server (what reconciliation relies on)", async () => {
    email = await connectEmail();
    const a = await email.call("create_outreach_draft", draftArgs());
    const other = await connectEmail({ stub: email.stub });
    const b = await other.call("create_outreach_draft", draftArgs());
    await other.close();
    expect(b.structured!.message_id_header).toBe(a.structured!.message_id_header);
  });

  it("a connection dropped after drafts.create reached Gmail is reconciled: one draft", async () => {
    email = await connectEmail();
    email.stub.fault("drafts.create", { drop: true }, { apply: true });
    const lost = await email.call("create_outreach_draft", draftArgs());
    expect(lost.isError).toBe(true);
    expect(lost.error).toMatchObject({ sideEffect: "unknown", retryable: true });
    expect(email.stub.drafts.size).toBe(1); // it did reach Gmail

    const retry = await email.call("create_outreach_draft", draftArgs());
    expect(retry.isError).toBe(false);
    expect(retry.structured).toMatchObject({ replayed: true, to: "jane@acme.test" });
    expect(retry.structured!.draft_id).toBe([...email.stub.drafts.keys()][0]);
    expect(email.stub.drafts.size).toBe(1);
    expect(creates(email)).toHaveLength(1);
  });

  it("a lost drafts.create whose draft was sent before the retry: found in Sent, nothing created again", async () => {
    email = await connectEmail({ sendMode: "on", cooldownDays: 0 });
    email.stub.fault("drafts.create", { drop: true }, { apply: true });
    const lost = await email.call("create_outreach_draft", draftArgs());
    expect(lost.error).toMatchObject({ sideEffect: "unknown", retryable: true });
    // A person (or another call) sends that draft before the retry.
    const [draftId] = [...email.stub.drafts.keys()];
    const sent = await email.call("send_draft", { draft_id: draftId! });
    expect(sent.isError, sent.text).toBe(false);
    expect(email.stub.drafts.size).toBe(0);

    const retry = await email.call("create_outreach_draft", draftArgs());
    expect(retry.isError, retry.text).toBe(false);
    expect(retry.structured).toMatchObject({
      replayed: true,
      already_sent: true,
      draft_id: null,
      message_id: email.stub.sent[0]!.id,
      to: "jane@acme.test",
    });
    expect(creates(email)).toHaveLength(1);
    expect(email.stub.drafts.size).toBe(0);
    // And it stays so: a further repeat replays the same answer, still one draft, one send.
    const again = await email.call("create_outreach_draft", draftArgs());
    expect(again.structured).toMatchObject({ replayed: true, already_sent: true });
    expect(creates(email)).toHaveLength(1);
    expect(email.stub.sent).toHaveLength(1);
    // The whole mailbox was searched, Spam and Trash included.
    const search = email.stub.requests.find(
      (r) => r.pathname.endsWith("/messages") && (r.query.get("q") ?? "").startsWith("rfc822msgid:"),
    );
    expect(search?.query.get("includeSpamTrash")).toBe("true");
  });

  it("a connection dropped before Gmail acted: the retry finds nothing and creates once", async () => {
    email = await connectEmail();
    email.stub.fault("drafts.create", { drop: true });
    const lost = await email.call("create_outreach_draft", draftArgs());
    expect(lost.error).toMatchObject({ sideEffect: "unknown" });
    expect(email.stub.drafts.size).toBe(0);
    const retry = await email.call("create_outreach_draft", draftArgs());
    expect(retry.structured).toMatchObject({ replayed: false });
    expect(email.stub.drafts.size).toBe(1);
  });

  it("a reply sets threadId, In-Reply-To and References so Gmail threads it", async () => {
    email = await connectEmail();
    const first = email.stub.addMessage({
      from: "jane@acme.test",
      to: "rep@seller.test",
      subject: "Rollout plans",
      messageIdHeader: "<a1@acme.test>",
      internalDate: Date.now() - 7_200_000,
    });
    email.stub.addMessage({
      threadId: first.threadId,
      from: "rep@seller.test",
      to: "jane@acme.test",
      subject: "Re: Rollout plans",
      messageIdHeader: "<b2@seller.test>",
      references: "<a1@acme.test>",
      labelIds: ["SENT"],
      internalDate: Date.now() - 3_600_000,
    });
    const out = await email.call(
      "create_outreach_draft",
      draftArgs({ subject: "Re: Rollout plans", reply_to_thread_id: first.threadId }),
    );
    expect(out.isError).toBe(false);
    expect(out.structured).toMatchObject({ is_reply: true, thread_id: first.threadId });
    const body = creates(email)[0]!.body as { message: { threadId?: string } };
    expect(body.message.threadId).toBe(first.threadId);
    const draft = [...email.stub.drafts.values()][0]!;
    expect(draft.inReplyTo).toBe("<b2@seller.test>");
    expect(draft.references).toBe("<a1@acme.test> <b2@seller.test>");

    const wrongSubject = await email.call(
      "create_outreach_draft",
      draftArgs({ subject: "Something else", reply_to_thread_id: first.threadId, occurrence: "x2" }),
    );
    expect(wrongSubject.error).toMatchObject({ code: "INVALID_INPUT", field: "subject" });
    const unknownThread = await email.call(
      "create_outreach_draft",
      draftArgs({ reply_to_thread_id: "ffff0000", occurrence: "x3" }),
    );
    expect(unknownThread.error).toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("reads", () => {
  it("list_recent_threads is [] when Gmail omits messages, and otherwise one entry per thread, newest first", async () => {
    email = await connectEmail();
    const none = await email.call("list_recent_threads", { contact_email: "jane@acme.test", days: 30 });
    expect(none.structured).toEqual({
      contact_email: "jane@acme.test",
      days: 30,
      threads: [],
      truncated: false,
    });

    const t = email.stub.addMessage({
      from: "Jane <jane@acme.test>",
      to: "rep@seller.test",
      subject: "Pricing",
      text: "Can you send pricing?",
      internalDate: Date.now() - 2 * 86_400_000,
    });
    email.stub.addMessage({
      threadId: t.threadId,
      from: "rep@seller.test",
      to: "jane@acme.test",
      subject: "Re: Pricing",
      text: "Here it is",
      labelIds: ["SENT"],
      internalDate: Date.now() - 86_400_000,
    });
    email.stub.addMessage({
      from: "jane@acme.test",
      to: "rep@seller.test",
      subject: "Old",
      internalDate: Date.now() - 60 * 86_400_000,
    });
    const some = await email.call("list_recent_threads", { contact_email: "Jane@Acme.test", days: 30 });
    expect(some.structured!.threads).toEqual([
      expect.objectContaining({
        thread_id: t.threadId,
        direction: "sent",
        subject: "Re: Pricing",
        snippet: "Here it is",
      }),
    ]);
    const wide = await email.call("list_recent_threads", { contact_email: "jane@acme.test", days: 90 });
    expect((wide.structured!.threads as unknown[]).length).toBe(2);
    const tooFar = await email.call("list_recent_threads", { contact_email: "jane@acme.test", days: 91 });
    expect(tooFar.error).toMatchObject({ code: "INVALID_INPUT", field: "days" });
  });

  it("get_draft: found, and NOT_FOUND for a draft that does not exist", async () => {
    email = await connectEmail();
    const created = await email.call("create_outreach_draft", draftArgs());
    const found = await email.call("get_draft", { draft_id: created.structured!.draft_id });
    expect(found.structured).toMatchObject({
      draft_id: created.structured!.draft_id,
      to: ["jane@acme.test"],
      subject: "Quick question about your rollout",
      created_by_server: true,
    });
    expect(found.structured!.body_preview).toContain("Hi Jane,");
    const missing = await email.call("get_draft", { draft_id: "r999999" });
    expect(missing.error).toMatchObject({ code: "NOT_FOUND", retryable: false });
  });
});
