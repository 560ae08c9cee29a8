import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLogger } from "@gtm-mcp/tool-kit/logging";
import { afterEach, describe, expect, it } from "vitest";
import { fileSuppressionList } from "../src/model/suppression-list.js";
import { type ConnectedEmail, connectEmail, draftArgs } from "./support/connect.js";

let email: ConnectedEmail | undefined;
afterEach(async () => {
  await email?.close();
  email = undefined;
});

const invalid = async (args: Record<string, unknown>, field: string) => {
  email ??= await connectEmail();
  const out = await email.call("create_outreach_draft", args);
  expect(out.isError, JSON.stringify(args)).toBe(true);
  expect(out.error).toMatchObject({ code: "INVALID_INPUT", field, retryable: false, sideEffect: "none" });
  return out;
};

describe("create_outreach_draft refuses header injection before anything is created", () => {
  it.each([
    ["CR/LF in the subject", { subject: "Hello\r\nBcc: boss@evil.test" }, "subject"],
    ["a bare LF in the subject", { subject: "Hello\nX-Injected: 1" }, "subject"],
    ["a line separator in the subject", { subject: "Hello\u2028Bcc: a@evil.test" }, "subject"],
    ["an encoded word in the subject", { subject: "=?utf-8?Q?Hi=0D=0ABcc:_a@evil.test?=" }, "subject"],
    ["CR/LF in to", { to: "jane@acme.test\r\nBcc: boss@evil.test" }, "to"],
    ["a second recipient in to", { to: "jane@acme.test, boss@evil.test" }, "to"],
    ["a display name in to", { to: "Jane <jane@acme.test>" }, "to"],
    ["CR/LF in the display name", { to_name: "Jane\r\nBcc: boss@evil.test" }, "to_name"],
    ["an address in the display name", { to_name: "ceo@acme.test" }, "to_name"],
    ["an encoded word in the display name", { to_name: "=?utf-8?B?SmFuZQ0KQmNjOiBh?=" }, "to_name"],
    ["a subject over 200 characters", { subject: "x".repeat(201) }, "subject"],
    ["a body over the bound", { body: "x".repeat(20_001) }, "body"],
    ["script in the HTML alternative", { html_body: "<p>hi</p><script>alert(1)</script>" }, "html_body"],
    ["<svg/onload> in the HTML alternative", { html_body: "<p>hi</p><svg/onload=alert(1)>" }, "html_body"],
    [
      "<img src=x/onerror> in the HTML alternative",
      { html_body: "<img src=x/onerror=alert(1)>" },
      "html_body",
    ],
    [
      "an entity-encoded javascript: link",
      { html_body: '<a href="jav&#x61;script:alert(1)">x</a>' },
      "html_body",
    ],
    ["a javascript&colon; link", { html_body: '<a href="javascript&colon;alert(1)">x</a>' }, "html_body"],
    ["a java<TAB>script: link", { html_body: '<a href="java\tscript:alert(1)">x</a>' }, "html_body"],
  ])("%s", async (_name, over, field) => {
    await invalid(draftArgs(over), field);
    expect(email!.stub.drafts.size).toBe(0);
    expect(email!.stub.requests.filter((r) => r.pathname.endsWith("/drafts"))).toHaveLength(0);
  });
});

describe("create_outreach_draft's HTML alternative (sanitize-html allow-list)", () => {
  it("names what is not allowed", async () => {
    const out = await invalid(draftArgs({ html_body: "<p>hi</p><svg/onload=alert(1)>" }), "html_body");
    expect(out.error.message).toMatch(/not allowed: <svg>, event handler onload/);
  });

  it("sends simple markup as written", async () => {
    email = await connectEmail();
    const html = '<p>Hi <b>Jane</b>, see <a href="https://acme.test/x">this</a>.</p>';
    const out = await email.call("create_outreach_draft", draftArgs({ html_body: html }));
    expect(out.isError, out.text).toBe(false);
    expect([...email.stub.drafts.values()][0]!.html).toBe(html);
  });
});

describe("create_outreach_draft checks the recipient", () => {
  it("refuses a recipient outside the account's domain, naming both", async () => {
    const out = await invalid(draftArgs({ to: "jane@acme-corp.test" }), "to");
    expect(out.error.message).toMatch(/acme-corp\.test is not acme\.test/);
    // A look-alike suffix is not a subdomain.
    await invalid(draftArgs({ to: "jane@evilacme.test" }), "to");
  });

  it("accepts a subdomain of the account's domain", async () => {
    email = await connectEmail();
    const out = await email.call(
      "create_outreach_draft",
      draftArgs({ to: "jane@eu.acme.test", account_domain: "ACME.test" }),
    );
    expect(out.isError).toBe(false);
    expect(out.structured).toMatchObject({ to: "jane@eu.acme.test" });
  });

  it("refuses suppressed addresses and domains, and sees the file change while running", async () => {
    const dir = mkdtempSync(join(tmpdir(), "suppress-"));
    const file = join(dir, "suppressed.txt");
    writeFileSync(file, "# opt-outs\nbob@acme.test\n@other.test\n");
    const suppression = fileSuppressionList(file, createLogger({ level: "silent" }));
    email = await connectEmail({ suppression });
    const byAddress = await email.call("create_outreach_draft", draftArgs({ to: "Bob@ACME.test" }));
    expect(byAddress.error).toMatchObject({ code: "INVALID_INPUT", field: "to" });
    expect(byAddress.error.message).toMatch(/suppression list \(address\)/);
    const byDomain = await email.call(
      "create_outreach_draft",
      draftArgs({ to: "amy@sales.other.test", account_domain: "other.test" }),
    );
    expect(byDomain.error.message).toMatch(/domain other\.test/);
    expect((await email.call("create_outreach_draft", draftArgs())).isError).toBe(false);

    // Jane opts out while the server runs: the next draft to her is refused.
    writeFileSync(file, "# opt-outs\nbob@acme.test\n@other.test\njane@acme.test\n");
    const after = await email.call("create_outreach_draft", draftArgs({ occurrence: "follow-up-1" }));
    expect(after.error).toMatchObject({ code: "INVALID_INPUT", field: "to" });
    expect(email.stub.drafts.size).toBe(1);
  });
});
