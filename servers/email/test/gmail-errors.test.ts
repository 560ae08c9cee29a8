import { afterEach, describe, expect, it } from "vitest";
import { mapGmailError, waitFromMessage } from "../src/upstream/map-error.js";
import {
  CLIENT_SECRET,
  type ConnectedEmail,
  connectEmail,
  draftArgs,
  REFRESH_TOKEN,
} from "./support/connect.js";
import { gmailError } from "./support/gmail-stub.js";

let email: ConnectedEmail | undefined;
afterEach(async () => {
  await email?.close();
  email = undefined;
});

const request = { method: "GET" as const, path: "/drafts/r1", operation: "drafts.get", safeToRepeat: true };
const mapped = (status: number, body: unknown) => mapGmailError({ status, headers: {}, body, request });

describe("Gmail's errors (vendors.md)", () => {
  it("403 with a rate reason and 429 are RATE_LIMITED, the wait read from the message", () => {
    expect(
      mapped(403, gmailError(403, "PERMISSION_DENIED", "rateLimitExceeded", "Rate Limit Exceeded")),
    ).toMatchObject({
      code: "RATE_LIMITED",
    });
    expect(
      mapped(403, gmailError(403, "PERMISSION_DENIED", "userRateLimitExceeded", "User Rate Limit Exceeded")),
    ).toMatchObject({
      code: "RATE_LIMITED",
    });
    const at = new Date(Date.now() + 90_000).toISOString();
    const limited = mapped(
      429,
      gmailError(
        429,
        "RESOURCE_EXHAUSTED",
        "rateLimitExceeded",
        `User-rate limit exceeded.  Retry after ${at}`,
      ),
    );
    expect(limited.code).toBe("RATE_LIMITED");
    expect(limited.retryAfterMs).toBeGreaterThan(80_000);
    expect(limited.retryAfterMs).toBeLessThanOrEqual(90_000);
    expect(waitFromMessage("Too many requests, retry in 30 seconds", 0)).toBe(30_000);
    expect(waitFromMessage("Too many requests", 0)).toBeUndefined();
  });

  it("dailyLimitExceeded is QUOTA_EXHAUSTED; insufficientPermissions is PERMISSION_DENIED; 404 NOT_FOUND", () => {
    expect(
      mapped(403, gmailError(403, "PERMISSION_DENIED", "dailyLimitExceeded", "Daily Limit Exceeded")),
    ).toMatchObject({
      code: "QUOTA_EXHAUSTED",
    });
    expect(
      mapped(403, gmailError(403, "PERMISSION_DENIED", "insufficientPermissions", "Insufficient Permission")),
    ).toMatchObject({ code: "PERMISSION_DENIED" });
    expect(
      mapped(404, gmailError(404, "NOT_FOUND", "notFound", "Requested entity was not found.")),
    ).toMatchObject({
      code: "NOT_FOUND",
    });
    expect(mapped(500, "<html>oops</html>")).toMatchObject({ code: "UPSTREAM_UNAVAILABLE" });
  });

  it("through the server: a 429 on drafts.create is RATE_LIMITED with retryAfterMs, nothing created, key released", async () => {
    email = await connectEmail();
    const at = new Date(Date.now() + 60 * 60_000).toISOString();
    email.stub.fault("drafts.create", {
      status: 429,
      body: gmailError(
        429,
        "RESOURCE_EXHAUSTED",
        "rateLimitExceeded",
        `User-rate limit exceeded.  Retry after ${at}`,
      ),
    });
    const out = await email.call("create_outreach_draft", draftArgs());
    expect(out.error).toMatchObject({ code: "RATE_LIMITED", retryable: true, sideEffect: "none" });
    expect(out.error.retryAfterMs as number).toBeGreaterThan(59 * 60_000);
    const retry = await email.call("create_outreach_draft", draftArgs());
    expect(retry.structured).toMatchObject({ replayed: false });
    expect(email.stub.drafts.size).toBe(1);
  });

  it("dailyLimitExceeded through the server is QUOTA_EXHAUSTED (terminal)", async () => {
    email = await connectEmail();
    email.stub.fault("messages.list", {
      status: 403,
      body: gmailError(403, "PERMISSION_DENIED", "dailyLimitExceeded", "Daily Limit Exceeded"),
    });
    const out = await email.call("list_recent_threads", { contact_email: "jane@acme.test" });
    expect(out.error).toMatchObject({ code: "QUOTA_EXHAUSTED", retryable: false });
  });
});

describe("the OAuth access token", () => {
  it("20 concurrent calls answered 401 cause one refresh, and all succeed", async () => {
    email = await connectEmail();
    const created = await email.call("create_outreach_draft", draftArgs());
    const before = email.stub.tokenRequests();
    email.stub.revokeAccessTokens();
    const results = await Promise.all(
      Array.from({ length: 20 }, () => email!.call("get_draft", { draft_id: created.structured!.draft_id })),
    );
    expect(results.filter((r) => r.isError)).toEqual([]);
    expect(email.stub.tokenRequests() - before).toBe(1);
  });

  it("a revoked refresh token (invalid_grant) is PERMISSION_DENIED saying so", async () => {
    email = await connectEmail({ stubOptions: { revokedRefreshToken: true } });
    const out = await email.call("list_recent_threads", { contact_email: "jane@acme.test" });
    expect(out.error).toMatchObject({ code: "PERMISSION_DENIED", retryable: false });
    expect(out.error.message).toMatch(/refresh token was revoked/);
  });
});

describe("secrets", () => {
  it("no client secret, refresh token or access token in any result or log line", async () => {
    email = await connectEmail({ sendMode: "on" });
    const outputs: string[] = [];
    const created = await email.call("create_outreach_draft", draftArgs());
    outputs.push(created.text);
    // The vendor echoes the access token and the refresh token in an error message.
    const echoed = email.tokens[0]!;
    email.stub.fault("drafts.get", {
      status: 400,
      body: gmailError(
        400,
        "INVALID_ARGUMENT",
        "invalidArgument",
        `bad request with ${echoed} and ${REFRESH_TOKEN}`,
      ),
    });
    outputs.push((await email.call("get_draft", { draft_id: created.structured!.draft_id })).text);
    email.stub.revokeAccessTokens();
    outputs.push((await email.call("send_draft", { draft_id: created.structured!.draft_id })).text);
    outputs.push(
      (await email.call("create_outreach_draft", draftArgs({ subject: `x ${CLIENT_SECRET}` }))).text,
    );
    const everything = [...outputs, ...email.test.lines].join("\n");
    expect(email.tokens.length).toBeGreaterThanOrEqual(2);
    for (const canary of [CLIENT_SECRET, REFRESH_TOKEN, ...email.tokens])
      expect(everything).not.toContain(canary);
    expect(outputs[1]).toContain("[REDACTED]");
  });
});
