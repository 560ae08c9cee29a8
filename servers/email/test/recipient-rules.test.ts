import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLogger } from "@gtm-mcp/tool-kit/logging";
import { afterEach, describe, expect, it } from "vitest";
import { cooldownSubject } from "../src/model/recipient-rules.js";
import { fileSuppressionList } from "../src/model/suppression-list.js";
import { type ConnectedEmail, connectEmail, draftArgs } from "./support/connect.js";
import { addPersonDraft } from "./support/person-draft.js";

const opened: ConnectedEmail[] = [];
afterEach(async () => {
  for (const e of opened.splice(0)) await e.close();
});
async function open(options: Parameters<typeof connectEmail>[0] = {}) {
  const e = await connectEmail(options);
  opened.push(e);
  return e;
}

function suppressionOf(lines: string) {
  const file = join(mkdtempSync(join(tmpdir(), "suppress-")), "suppressed.txt");
  writeFileSync(file, lines);
  return fileSuppressionList(file, createLogger({ level: "silent" }));
}

const VARIANTS = [
  ["case", "Jane@ACME.test"],
  ["plus-tag", "jane+x@acme.test"],
  ["trailing dot", "jane@acme.test."],
  ["plus-tag and case", "JANE+promo@Acme.Test"],
] as const;

describe("suppression matches every variant of an address (item 4)", () => {
  it.each(VARIANTS)(
    "create_outreach_draft refuses the %s variant of a suppressed address",
    async (_n, to) => {
      const email = await open({ suppression: suppressionOf("jane@acme.test\n") });
      const out = await email.call("create_outreach_draft", draftArgs({ to }));
      expect(out.error).toMatchObject({ code: "INVALID_INPUT", field: "to" });
      expect(out.error.message).toMatch(/suppression list/);
      expect(email.stub.drafts.size).toBe(0);
    },
  );

  it("Gmail dots and googlemail.com match a gmail.com entry; elsewhere dots are part of the address", async () => {
    const list = suppressionOf("j.ane@gmail.com\njohn.doe@acme.test\n");
    expect(list.match("jane@gmail.com")).toBe("j.ane@gmail.com");
    expect(list.match("ja.ne+x@googlemail.com")).toBe("j.ane@gmail.com");
    expect(list.match("johndoe@acme.test")).toBeUndefined();
    expect(list.match("john.doe+y@acme.test")).toBe("john.doe@acme.test");
  });

  it("an IDN entry matches the punycode address, and a punycode entry the Unicode one", async () => {
    const email = await open({ suppression: suppressionOf("bücher.de\nroe@xn--mller-kva.test\n") });
    const byDomain = await email.call(
      "create_outreach_draft",
      draftArgs({ to: "x@xn--bcher-kva.de", account_domain: "xn--bcher-kva.de" }),
    );
    expect(byDomain.error).toMatchObject({ code: "INVALID_INPUT", field: "to" });
    expect(byDomain.error.message).toMatch(/domain xn--bcher-kva\.de/);
    const byAddress = await email.call(
      "create_outreach_draft",
      draftArgs({ to: "Roe+1@müller.test", account_domain: "müller.test" }),
    );
    expect(byAddress.error).toMatchObject({ code: "INVALID_INPUT", field: "to" });
    expect(email.stub.drafts.size).toBe(0);
  });

  it.each(VARIANTS)(
    "send_draft refuses a draft to the %s variant of a suppressed address",
    async (_n, to) => {
      const file = join(mkdtempSync(join(tmpdir(), "suppress-")), "suppressed.txt");
      writeFileSync(file, "# none yet\n");
      const email = await open({
        sendMode: "on",
        suppression: fileSuppressionList(file, createLogger({ level: "silent" })),
      });
      const draft = await email.call("create_outreach_draft", draftArgs({ to }));
      expect(draft.isError, draft.text).toBe(false);
      writeFileSync(file, "jane@acme.test\n");
      const out = await email.call("send_draft", { draft_id: draft.structured!.draft_id });
      expect(out.error).toMatchObject({ code: "INVALID_INPUT", field: "draft_id" });
      expect(out.error.message).toMatch(/suppression list/);
      expect(email.stub.sent).toHaveLength(0);
    },
  );
});

describe("the cooldown is shared by every variant of an address (item 4)", () => {
  it.each(VARIANTS)(
    "a send to the %s variant within jane@acme.test's cooldown is refused",
    async (_n, variant) => {
      const email = await open({ sendMode: "on", cooldownDays: 3 });
      const first = await email.call("create_outreach_draft", draftArgs({ occurrence: "o1" }));
      const second = await email.call("create_outreach_draft", draftArgs({ to: variant, occurrence: "o2" }));
      expect(second.isError, second.text).toBe(false);
      expect((await email.call("send_draft", { draft_id: first.structured!.draft_id })).isError).toBe(false);
      const refused = await email.call("send_draft", { draft_id: second.structured!.draft_id });
      expect(refused.error).toMatchObject({
        code: "CAP_EXCEEDED",
        details: { window: "recipient_cooldown", subject: "jane@acme.test" },
      });
      expect(email.stub.sent).toHaveLength(1);
    },
  );

  it("an IDN recipient and its punycode form share one cooldown", async () => {
    const email = await open({ sendMode: "on", cooldownDays: 3 });
    const args = { account_domain: "müller.test" };
    const first = await email.call("create_outreach_draft", draftArgs({ ...args, to: "roe@müller.test" }));
    const second = await email.call(
      "create_outreach_draft",
      draftArgs({ ...args, to: "Roe+a@XN--MLLER-KVA.test", occurrence: "o2" }),
    );
    expect(second.isError, second.text).toBe(false);
    expect((await email.call("send_draft", { draft_id: first.structured!.draft_id })).isError).toBe(false);
    const refused = await email.call("send_draft", { draft_id: second.structured!.draft_id });
    expect(refused.error).toMatchObject({
      code: "CAP_EXCEEDED",
      details: { window: "recipient_cooldown", subject: "roe@xn--mller-kva.test" },
    });
  });

  it("Gmail dot variants share one key (send_draft refuses free-mail recipients, so the key is checked directly)", () => {
    expect(cooldownSubject("j.a.ne+x@googlemail.com")).toBe(cooldownSubject("jane@gmail.com"));
  });
});

describe("account_domain is an organisation's domain (item 5)", () => {
  it.each([
    ["a public suffix", "ceo@bigbank.co.uk", "co.uk", /co\.uk is a public suffix/],
    ["a private public suffix", "x@shop.myshopify.com", "myshopify.com", /public suffix/],
    ["a free-mail domain", "someone@gmail.com", "gmail.com", /gmail\.com is a free-mail domain/],
    ["a free-mail domain (yahoo.co.uk)", "someone@yahoo.co.uk", "yahoo.co.uk", /free-mail/],
  ])("refuses %s as account_domain, nothing created", async (_n, to, account_domain, message) => {
    const email = await open();
    const out = await email.call("create_outreach_draft", draftArgs({ to, account_domain }));
    expect(out.error).toMatchObject({ code: "INVALID_INPUT", field: "account_domain" });
    expect(out.error.message).toMatch(message);
    expect(email.stub.drafts.size).toBe(0);
  });

  it("accepts an organisation under a public suffix (bigbank.co.uk)", async () => {
    const email = await open();
    const out = await email.call(
      "create_outreach_draft",
      draftArgs({ to: "ceo@bigbank.co.uk", account_domain: "bigbank.co.uk" }),
    );
    expect(out.isError, out.text).toBe(false);
  });
});

describe("send_draft applies the recipient rules to every recipient of the draft (item 5)", () => {
  it.each([
    ["a free-mail Cc", { to: "jane@acme.test", cc: "friend@gmail.com" }, /friend@gmail\.com.*free-mail/],
    ["a public-suffix Bcc", { to: "jane@acme.test", bcc: "ceo@co.uk" }, /ceo@co\.uk.*public suffix/],
    [
      "a suppressed Cc variant",
      { to: "jane@acme.test", cc: "Bob+x@acme.test" },
      /bob\+x@acme\.test.*suppression/,
    ],
    ["a suppressed domain in To", { to: "amy@sales.other.test" }, /suppression/],
    ["routing syntax in Cc", { to: "jane@acme.test", cc: "x%evil.test@acme.test" }, /routing syntax/],
    [
      "a list with a group in To",
      { to: "jane@acme.test, undisclosed:;" },
      /not one plain address|plain address/,
    ],
  ])("refuses a person's draft with %s; nothing sent, no cap used", async (_n, headers, message) => {
    const email = await open({ sendMode: "on", suppression: suppressionOf("bob@acme.test\n@other.test\n") });
    const id = addPersonDraft(email.stub, headers);
    const out = await email.call("send_draft", { draft_id: id });
    expect(out.error).toMatchObject({ code: "INVALID_INPUT", field: "draft_id" });
    expect(out.error.message).toMatch(message);
    expect(email.stub.sent).toHaveLength(0);
    expect(await email.store.capUsage("sends", email.test.runtime.runId)).toBe(0);
  });

  it("refuses a draft to more than 50 recipients, saying how many", async () => {
    const email = await open({ sendMode: "on" });
    const to = Array.from({ length: 51 }, (_, i) => `p${i}@acme.test`).join(", ");
    const out = await email.call("send_draft", { draft_id: addPersonDraft(email.stub, { to }) });
    expect(out.error).toMatchObject({ code: "INVALID_INPUT", field: "draft_id" });
    expect(out.error.message).toMatch(/51 recipients; at most 50/);
    expect(email.stub.sent).toHaveLength(0);
  });

  it("sends a person's draft whose every recipient passes, and takes each one's cooldown", async () => {
    const email = await open({ sendMode: "on" });
    const id = addPersonDraft(email.stub, { to: "jane@acme.test", cc: "Joe <joe+team@acme.test>" });
    const out = await email.call("send_draft", { draft_id: id });
    expect(out.isError, out.text).toBe(false);
    const again = addPersonDraft(email.stub, { to: "joe@acme.test" });
    const refused = await email.call("send_draft", { draft_id: again });
    expect(refused.error).toMatchObject({ code: "CAP_EXCEEDED", details: { subject: "joe@acme.test" } });
  });
});

describe("routing syntax and look-alike display names are refused (issue 24 item 12)", () => {
  it.each([
    ["x%evil.com@acme.test", /routing syntax/],
    ["evil.com!x@acme.test", /routing syntax/],
  ])("to %s", async (to, message) => {
    const email = await open();
    const out = await email.call("create_outreach_draft", draftArgs({ to }));
    expect(out.error).toMatchObject({ code: "INVALID_INPUT", field: "to" });
    expect(out.error.message).toMatch(message);
    expect(email.stub.drafts.size).toBe(0);
  });

  it.each([
    ["a full-width at-sign", "x\uFF20evil.com"],
    ["a small at-sign", "x\uFE6Bevil.com"],
    ["full-width angle brackets", "Ana \uFF1Cceo\uFF1E"],
  ])("to_name with %s", async (_n, to_name) => {
    const email = await open();
    const out = await email.call("create_outreach_draft", draftArgs({ to_name }));
    expect(out.error).toMatchObject({ code: "INVALID_INPUT", field: "to_name" });
    expect(email.stub.drafts.size).toBe(0);
  });

  it("accepts an ordinary non-ASCII display name", async () => {
    const email = await open();
    const out = await email.call("create_outreach_draft", draftArgs({ to_name: "Zoë Ünal-Åberg" }));
    expect(out.isError, out.text).toBe(false);
  });
});
