import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SANDBOX_CREDENTIALS, type Sandbox, startSandbox } from "../../src/index.js";
import { call } from "../support/http.js";

let sandbox: Sandbox;
let token: string;
const c = SANDBOX_CREDENTIALS.gmail;
const refresh = (form: Record<string, string> = {}) =>
  call(sandbox.urls.gmailToken!, {
    form: {
      grant_type: "refresh_token",
      client_id: c.clientId,
      client_secret: c.clientSecret,
      refresh_token: c.refreshToken,
      ...form,
    },
  });
const gmail = (path: string, init: { method?: string; body?: unknown } = {}, bearer = token) =>
  call(`${sandbox.urls.gmail}${path}`, { ...init, headers: { authorization: `Bearer ${bearer}` } });
const raw = (headers: Record<string, string>, body = "Hello there.") =>
  Buffer.from(
    `${Object.entries(headers)
      .map(([k, v]) => `${k}: ${v}`)
      .join("\r\n")}\r\n\r\n${body}`,
  ).toString("base64url");

beforeAll(async () => {
  sandbox = await startSandbox({ accounts: 300, vendors: ["gmail"], ports: { gmail: 0 } });
  token = (await refresh()).body.access_token;
});
afterAll(() => sandbox.stop());

describe("Google OAuth token endpoint", () => {
  it("answers a refresh grant with {access_token, expires_in, token_type, scope} of least privilege", async () => {
    const answer = await refresh();
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      access_token: expect.stringMatching(/^ya29\./),
      expires_in: 3599,
      token_type: "Bearer",
      scope: "https://www.googleapis.com/auth/gmail.compose https://www.googleapis.com/auth/gmail.readonly",
    });
  });

  it("refuses a bad refresh token with 400 invalid_grant, a bad client with 401 invalid_client", async () => {
    expect(await refresh({ refresh_token: "nope" })).toMatchObject({
      status: 400,
      body: { error: "invalid_grant", error_description: expect.any(String) },
    });
    expect(await refresh({ client_secret: "nope" })).toMatchObject({
      status: 401,
      body: { error: "invalid_client" },
    });
    expect(await refresh({ grant_type: "password" })).toMatchObject({
      status: 400,
      body: { error: "unsupported_grant_type" },
    });
  });

  it("expires access tokens: a short-lived token stops working, a revoked refresh token is invalid_grant", async () => {
    let t = 1_000_000;
    const short = await startSandbox({
      accounts: 10,
      vendors: ["gmail"],
      ports: { gmail: 0 },
      gmail: { tokenTtlSeconds: 60 },
      now: () => t,
    });
    try {
      const form = {
        grant_type: "refresh_token",
        client_id: c.clientId,
        client_secret: c.clientSecret,
        refresh_token: c.refreshToken,
      };
      const issued = await call(short.urls.gmailToken!, { form });
      expect(issued.body.expires_in).toBe(60);
      const profile = () =>
        call(`${short.urls.gmail}/profile`, {
          headers: { authorization: `Bearer ${issued.body.access_token}` },
        });
      expect((await profile()).status).toBe(200);
      t += 60_000;
      const expired = await profile();
      expect(expired.status).toBe(401);
      expect(expired.body.error).toMatchObject({
        code: 401,
        status: "UNAUTHENTICATED",
        errors: [{ reason: "authError" }],
      });
      await fetch(`${short.origins.gmail}/_sandbox/oauth/revoke`, { method: "POST" });
      expect((await call(short.urls.gmailToken!, { form })).body.error).toBe("invalid_grant");
    } finally {
      await short.stop();
    }
  });
});

describe("Gmail API emulator", () => {
  it("writes the book's suppression list for EMAIL_SUPPRESSION_FILE and counts mail addressed to it", async () => {
    const { readFileSync } = await import("node:fs");
    const file = sandbox.env.EMAIL_SUPPRESSION_FILE!;
    expect(readFileSync(file, "utf8").trim().split("\n")).toEqual(sandbox.book.suppression);
    const blocked = sandbox.book.suppression[0]!;
    await gmail("/drafts", { body: { message: { raw: raw({ To: blocked, Subject: "x" }) } } });
    const state = await sandbox.admin.state<{ suppressedRecipients: { drafts: number } }>("gmail");
    expect(state.suppressedRecipients.drafts).toBe(1);
  });

  it("answers the profile of the seller", async () => {
    const answer = await gmail("/profile");
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      emailAddress: sandbox.book.seller,
      messagesTotal: expect.any(Number),
      threadsTotal: expect.any(Number),
      historyId: expect.stringMatching(/^\d+$/),
    });
    // The seeded history, plus drafts created by earlier tests.
    expect(answer.body.messagesTotal).toBeGreaterThanOrEqual(sandbox.book.mailbox.length);
  });

  it("lists messages with from:/to: OR and newer_than:, newest first; an empty result omits messages", async () => {
    const someone = sandbox.book.mailbox.find((m) => m.from !== sandbox.book.seller)!.from;
    const expected = sandbox.book.mailbox.filter(
      (m) => (m.from === someone || m.to === someone) && m.daysAgo < 90,
    );
    const answer = await gmail(
      `/messages?q=${encodeURIComponent(`from:${someone} OR to:${someone} newer_than:90d`)}`,
    );
    expect(answer.status).toBe(200);
    expect(answer.body.messages.map((m: { id: string }) => m.id).sort()).toEqual(
      expected.map((m) => m.id).sort(),
    );
    expect(answer.body.resultSizeEstimate).toBe(expected.length);
    const none = await gmail(`/messages?q=${encodeURIComponent("from:nobody@nowhere.example")}`);
    expect(none).toMatchObject({ status: 200, body: { resultSizeEstimate: 0 } });
    expect(none.body).not.toHaveProperty("messages");
  });

  it("pages message lists with maxResults and nextPageToken", async () => {
    const first = await gmail("/messages?q=in:sent&maxResults=5");
    expect(first.body.messages).toHaveLength(5);
    const second = await gmail(`/messages?q=in:sent&maxResults=5&pageToken=${first.body.nextPageToken}`);
    expect(second.body.messages[0].id).not.toBe(first.body.messages[0].id);
    expect((await gmail("/messages?maxResults=501")).status).toBe(400);
  });

  it("lists threads with snippets and reads one", async () => {
    const answer = await gmail("/threads?q=in:sent&maxResults=3");
    expect(answer.body.threads[0]).toEqual({
      id: expect.any(String),
      snippet: expect.any(String),
      historyId: expect.any(String),
    });
    const thread = await gmail(
      `/threads/${answer.body.threads[0].id}?format=metadata&metadataHeaders=From&metadataHeaders=Subject`,
    );
    expect(thread.status).toBe(200);
    expect(thread.body.messages[0].payload.headers.map((h: { name: string }) => h.name).sort()).toEqual([
      "From",
      "Subject",
    ]);
  });

  it("creates a draft, finds it by rfc822msgid:, reads it, sends it once; the second send is 404", async () => {
    const contact = sandbox.book.contacts[0]!;
    const messageId = "gtm-mcp.abc123@gtm-sandbox.example";
    const created = await gmail("/drafts", {
      body: {
        message: {
          raw: raw({
            From: sandbox.book.seller,
            To: contact.email,
            Subject: "Hi",
            "Message-ID": `<${messageId}>`,
          }),
        },
      },
    });
    expect(created.status).toBe(200);
    expect(created.body).toEqual({
      id: expect.any(String),
      message: { id: expect.any(String), threadId: expect.any(String), labelIds: ["DRAFT"] },
    });
    const found = await gmail(`/messages?q=${encodeURIComponent(`rfc822msgid:<${messageId}>`)}`);
    expect(found.body.messages).toEqual([
      { id: created.body.message.id, threadId: created.body.message.threadId },
    ]);
    const drafts = await gmail(`/drafts?q=${encodeURIComponent(`rfc822msgid:${messageId}`)}`);
    expect(drafts.body.drafts[0].id).toBe(created.body.id);
    const got = await gmail(`/drafts/${created.body.id}?format=metadata`);
    expect(got.body.message.payload.headers).toContainEqual({ name: "To", value: contact.email });
    const sent = await gmail("/drafts/send", { body: { id: created.body.id } });
    expect(sent).toMatchObject({ status: 200, body: { id: created.body.message.id, labelIds: ["SENT"] } });
    // Once sent, drafts no longer list it; the whole mailbox (Spam and Trash included) does.
    const draftsAfter = await gmail(`/drafts?q=${encodeURIComponent(`rfc822msgid:${messageId}`)}`);
    expect(draftsAfter.body.drafts).toBeUndefined();
    const anywhere = await gmail(
      `/messages?q=${encodeURIComponent(`rfc822msgid:${messageId}`)}&includeSpamTrash=true&maxResults=5`,
    );
    expect(anywhere.body.messages).toEqual([
      { id: created.body.message.id, threadId: created.body.message.threadId },
    ]);
    const again = await gmail("/drafts/send", { body: { id: created.body.id } });
    expect(again.status).toBe(404);
    expect(again.body.error).toMatchObject({ code: 404, errors: [{ reason: "notFound", domain: "global" }] });
    const state = await sandbox.admin.state<{
      sends: Array<{ rfc822MessageId: string }>;
      drafts: Array<{ sent: boolean }>;
    }>("gmail");
    expect(state.sends.filter((s) => s.rfc822MessageId === messageId)).toHaveLength(1);
  });

  it("refuses a missing or unknown token 401 authError and a readonly token on drafts.create 403 insufficientPermissions", async () => {
    expect((await gmail("/profile", {}, "ya29.unknown")).body.error.errors[0].reason).toBe("authError");
    const readonly = await startSandbox({
      accounts: 10,
      vendors: ["gmail"],
      ports: { gmail: 0 },
      gmail: { scope: "https://www.googleapis.com/auth/gmail.readonly" },
    });
    try {
      const form = {
        grant_type: "refresh_token",
        client_id: c.clientId,
        client_secret: c.clientSecret,
        refresh_token: c.refreshToken,
      };
      const t = (await call(readonly.urls.gmailToken!, { form })).body.access_token;
      const refused = await call(`${readonly.urls.gmail}/drafts`, {
        headers: { authorization: `Bearer ${t}` },
        body: { message: { raw: raw({ To: "a@b.example" }) } },
      });
      expect(refused.status).toBe(403);
      expect(refused.body.error.errors[0].reason).toBe("insufficientPermissions");
    } finally {
      await readonly.stop();
    }
  });

  it("answers injected rate limits as Google does: 403 userRateLimitExceeded, 429 for sends", async () => {
    await sandbox.admin.setFaults("gmail", { rateLimitRate: 1 });
    const listed = await gmail("/messages?q=in:sent");
    expect(listed).toMatchObject({
      status: 403,
      body: { error: { code: 403, errors: [{ reason: "userRateLimitExceeded", domain: "usageLimits" }] } },
    });
    const sent = await gmail("/drafts/send", { body: { id: "r1" } });
    expect(sent.status).toBe(429);
    expect(sent.body.error.message).toMatch(/Retry after/);
    await sandbox.admin.setFaults("gmail", {});
    expect((await gmail("/profile")).status).toBe(200);
  });

  it("answers an emulated-subset violation in q with 400 rather than a silent wrong answer", async () => {
    const answer = await gmail(`/messages?q=${encodeURIComponent("has:attachment")}`);
    expect(answer.status).toBe(400);
    expect(answer.body.error.errors[0].reason).toBe("invalidArgument");
  });
});
