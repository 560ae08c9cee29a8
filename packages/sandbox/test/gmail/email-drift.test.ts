import {
  draftListSchema,
  draftSchema,
  messageListSchema,
  messageSchema,
  profileSchema,
  sentMessageSchema,
  threadSchema,
} from "@gtm-mcp/email/upstream/schemas";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SANDBOX_CREDENTIALS, type Sandbox, startSandbox } from "../../src/index.js";
import { call } from "../support/http.js";

// The Gmail emulator's answers read by the email server's own upstream schemas.

let sandbox: Sandbox;
let token: string;
const gmail = (path: string, body?: unknown) =>
  call(`${sandbox.urls.gmail}${path}`, {
    headers: { authorization: `Bearer ${token}` },
    ...(body ? { body } : {}),
  });

beforeAll(async () => {
  sandbox = await startSandbox({ accounts: 60, vendors: ["gmail"], ports: { gmail: 0 } });
  const c = SANDBOX_CREDENTIALS.gmail;
  token = (
    await call(sandbox.urls.gmailToken!, {
      form: {
        grant_type: "refresh_token",
        client_id: c.clientId,
        client_secret: c.clientSecret,
        refresh_token: c.refreshToken,
      },
    })
  ).body.access_token;
});
afterAll(() => sandbox.stop());

describe("Gmail emulator answers, read by the email server's schemas", () => {
  it("profile, lists (with and without results), a message, a thread, a draft and a send", async () => {
    const parse = (schema: { safeParse(v: unknown): { success: boolean } }, value: unknown) =>
      expect(schema.safeParse(value).success).toBe(true);
    parse(profileSchema, (await gmail("/profile")).body);
    const listed = await gmail("/messages?q=in:sent&maxResults=3");
    parse(messageListSchema, listed.body);
    parse(messageListSchema, (await gmail("/messages?q=from:nobody@none.example")).body);
    parse(messageSchema, (await gmail(`/messages/${listed.body.messages[0].id}?format=metadata`)).body);
    parse(threadSchema, (await gmail(`/threads/${listed.body.messages[0].threadId}?format=metadata`)).body);
    const raw = Buffer.from(
      "To: a@b.example\r\nSubject: x\r\nMessage-ID: <drift@x.example>\r\n\r\nHi",
    ).toString("base64url");
    const draft = await gmail("/drafts", { message: { raw } });
    parse(draftSchema, draft.body);
    parse(draftSchema, (await gmail(`/drafts/${draft.body.id}`)).body);
    parse(draftListSchema, (await gmail("/drafts?q=rfc822msgid:drift@x.example")).body);
    parse(sentMessageSchema, (await gmail("/drafts/send", { id: draft.body.id })).body);
  });
});
