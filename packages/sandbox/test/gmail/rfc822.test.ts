import { describe, expect, it } from "vitest";
import { parseRfc822 } from "../../src/gmail/rfc822.js";

describe("parseRfc822", () => {
  it("unfolds a header whose value starts on the next line (as MailComposer folds Message-ID)", () => {
    const parsed = parseRfc822(
      "From: a@x.example\r\nMessage-ID:\r\n <gtm.abc@x.example>\r\nSubject: =?UTF-8?B?SGVsbG8=?=\r\n\r\nBody",
    );
    expect(parsed.messageId).toBe("gtm.abc@x.example");
    expect(parsed.subject).toBe("Hello");
    expect(parsed.headers.find((h) => h.name === "Message-ID")?.value).toBe("<gtm.abc@x.example>");
    expect(parsed.body).toBe("Body");
  });
});
