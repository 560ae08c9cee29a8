import { afterEach, describe, expect, it } from "vitest";
import { type ConnectedEmail, connectEmail, REFRESH_TOKEN, SENDER } from "./support/connect.js";
import { addPersonDraft } from "./support/person-draft.js";

let email: ConnectedEmail | undefined;
afterEach(async () => {
  await email?.close();
  email = undefined;
});
const DAY = 86_400_000;

describe("list_recent_threads reads only mail with the contact as received (issue 23 item 3)", () => {
  it("leaves out drafts, and counts the mailbox's own messages (SENT, or From the sender) as sent", async () => {
    email = await connectEmail();
    const now = Date.now();
    // Jane wrote 5 days ago; the run's own unsent reply is a draft in that thread since yesterday.
    const asked = email.stub.addMessage({
      from: "Jane <jane@acme.test>",
      to: SENDER,
      subject: "Pricing",
      internalDate: now - 5 * DAY,
    });
    email.stub.addMessage({
      threadId: asked.threadId,
      from: SENDER,
      to: "jane@acme.test",
      subject: "Re: Pricing",
      labelIds: ["DRAFT"],
      internalDate: now - DAY,
    });
    // A thread holding only the run's own outreach draft: no mail with Jane at all.
    email.stub.addMessage({
      from: SENDER,
      to: "jane@acme.test",
      subject: "Quick question",
      labelIds: ["DRAFT"],
      internalDate: now - 2 * DAY,
    });
    // Mail from the mailbox that is not labelled SENT (a copy to itself, another client).
    const own = email.stub.addMessage({
      from: `Rep <${SENDER.toUpperCase()}>`,
      to: "jane@acme.test",
      subject: "Intro",
      labelIds: ["INBOX"],
      internalDate: now - 3 * DAY,
    });
    const out = await email.call("list_recent_threads", { contact_email: "jane@acme.test" });
    expect(out.structured!.threads).toEqual([
      expect.objectContaining({ thread_id: own.threadId, direction: "sent", subject: "Intro" }),
      expect.objectContaining({
        thread_id: asked.threadId,
        direction: "received",
        subject: "Pricing",
        last_message_at: new Date(now - 5 * DAY).toISOString(),
      }),
    ]);
  });
});

describe("every email result is bounded (issue 24 item 6)", () => {
  it("list_recent_threads over 50 inbound mails with 100 KB subjects and snippets: under 40,000 bytes, lengths stated", async () => {
    email = await connectEmail();
    const huge = "S".repeat(100_000);
    for (let i = 0; i < 50; i++) {
      email.stub.addMessage({
        from: "jane@acme.test",
        to: SENDER,
        subject: `${i} ${huge}`,
        snippet: `${i} ${huge}`,
        internalDate: Date.now() - (i + 1) * 60_000,
      });
    }
    const out = await email.call("list_recent_threads", { contact_email: "jane@acme.test" });
    expect(out.isError, out.text.slice(0, 300)).toBe(false);
    const threads = out.structured!.threads as Array<{ subject: string; snippet: string }>;
    expect(threads).toHaveLength(50);
    expect(Buffer.byteLength(out.text)).toBeLessThan(40_000);
    expect(Buffer.byteLength(JSON.stringify(out.structured))).toBeLessThan(40_000);
    expect(threads[0]!.subject).toMatch(/^0 S+…\(100002 chars\)$/);
    expect(threads[0]!.subject.length).toBeLessThanOrEqual(200 + 20);
    expect(threads[0]!.snippet).toMatch(/…\(100002 chars\)$/);
    expect(threads[0]!.snippet.length).toBeLessThanOrEqual(300 + 20);
  });

  it("get_draft of a draft with a 200 KB subject: under 2,000 bytes, the subject's length stated", async () => {
    email = await connectEmail();
    const id = addPersonDraft(email.stub, { to: "jane@acme.test", subject: "T".repeat(200_000) });
    const out = await email.call("get_draft", { draft_id: id });
    expect(out.isError, out.text.slice(0, 300)).toBe(false);
    expect(Buffer.byteLength(out.text)).toBeLessThan(2_000);
    expect(out.structured!.subject).toMatch(/^T{300}…\(200000 chars\)$/);
  });

  it("get_draft of a draft with 3,000 recipients: under 4,000 bytes, 50 listed and the count stated", async () => {
    email = await connectEmail();
    const many = Array.from({ length: 3_000 }, (_, i) => `person${i}@acme.test`);
    const id = addPersonDraft(email.stub, {
      to: many.slice(0, 1_000).join(", "),
      cc: many.slice(1_000, 2_000).join(", "),
      bcc: many.slice(2_000).join(", "),
    });
    const out = await email.call("get_draft", { draft_id: id });
    expect(out.isError, out.text.slice(0, 300)).toBe(false);
    expect(Buffer.byteLength(out.text)).toBeLessThan(4_000);
    expect(out.structured!.to).toHaveLength(50);
    expect(out.structured!.to_count).toBe(3_000);
  });
});

describe("get_draft scrubs the body before clipping it (issue 24 item 3)", () => {
  it("a refresh token across the 600-character clip boundary leaves no prefix of itself", async () => {
    email = await connectEmail();
    const text = `${"x".repeat(595)}${REFRESH_TOKEN} and more text after it`;
    const id = addPersonDraft(email.stub, { to: "jane@acme.test", text });
    const out = await email.call("get_draft", { draft_id: id });
    expect(out.isError, out.text).toBe(false);
    expect(out.text).not.toContain(REFRESH_TOKEN.slice(0, 4));
    expect(out.structured!.body_preview).toBe(`${"x".repeat(595)}[REDA…`);
    expect(out.structured!.body_chars).toBe(text.length);
  });

  it("a secret in a stranger's subject is scrubbed before it is clipped", async () => {
    email = await connectEmail();
    email.stub.addMessage({
      from: "jane@acme.test",
      to: SENDER,
      subject: `${"s".repeat(195)}${REFRESH_TOKEN}`,
    });
    const out = await email.call("list_recent_threads", { contact_email: "jane@acme.test" });
    expect(out.text).not.toContain(REFRESH_TOKEN.slice(0, 4));
  });
});
