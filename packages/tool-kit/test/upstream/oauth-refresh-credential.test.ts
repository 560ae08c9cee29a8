import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { newCallStats } from "../../src/core/call-scope.js";
import { isToolError } from "../../src/errors/index.js";
import { createLogger, createScrubber } from "../../src/logging/index.js";
import { type HttpStub, type StubRequest, startHttpStub } from "../../src/testing/index.js";
import {
  createUpstreamClient,
  type OAuthAccessToken,
  type OAuthRefreshOptions,
  oauthRefreshCredential,
} from "../../src/upstream/index.js";

const REFRESH = "1//refresh-CANARY-9f8e7d6c5b4a";
const SECRET = "client-secret-CANARY-0a1b2c";
let stubs: HttpStub[] = [];
afterEach(async () => {
  await Promise.all(stubs.map((s) => s.close()));
  stubs = [];
});

/** A token endpoint issuing tok-1, tok-2, … after an optional delay, or the given answer. */
async function tokenEndpoint(
  answer?: (req: StubRequest, n: number) => { status: number; body: unknown } | undefined,
  delayMs = 0,
) {
  let n = 0;
  const stub = await startHttpStub((req) => {
    n += 1;
    const fixed = answer?.(req, n);
    if (fixed) return fixed;
    return {
      status: 200,
      delayMs,
      body: { access_token: `ya29.token-${n}-abcdef`, expires_in: 3599, token_type: "Bearer", scope: "a b" },
    };
  });
  stubs.push(stub);
  return stub;
}

function credentialFor(tokenUrl: string, over: Partial<OAuthRefreshOptions> = {}) {
  const issued: OAuthAccessToken[] = [];
  const lines: string[] = [];
  const credential = oauthRefreshCredential({
    system: "google",
    tokenUrl,
    clientId: () => "client-id.apps",
    clientSecret: () => SECRET,
    refreshToken: () => REFRESH,
    onToken: (t) => issued.push(t),
    logger: createLogger({ level: "debug", scrubber: createScrubber(), write: (l) => lines.push(l) }),
    ...over,
  });
  return { credential, issued, lines };
}

describe("oauthRefreshCredential", () => {
  it("posts a form-encoded refresh_token grant (RFC 6749 §6) and reports the granted scopes", async () => {
    const endpoint = await tokenEndpoint();
    const { credential, issued } = credentialFor(`${endpoint.url}/token`);
    const token = await credential.token();
    expect(token.value).toBe("ya29.token-1-abcdef");
    expect(token.scopes).toEqual(["a", "b"]);
    const [req] = endpoint.requests;
    expect(req!.method).toBe("POST");
    expect(req!.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    const form = new URLSearchParams(req!.body as string);
    expect(Object.fromEntries(form)).toEqual({
      grant_type: "refresh_token",
      refresh_token: REFRESH,
      client_id: "client-id.apps",
      client_secret: SECRET,
    });
    expect(issued.map((t) => t.value)).toEqual(["ya29.token-1-abcdef"]);
  });

  it("caches the token until shortly before it expires, then fetches a new one", async () => {
    const endpoint = await tokenEndpoint();
    let clock = 1_000_000;
    const { credential } = credentialFor(`${endpoint.url}/token`, {
      now: () => clock,
      expiryMarginMs: 60_000,
    });
    expect(await credential.get()).toBe("ya29.token-1-abcdef");
    clock += 3_599_000 - 61_000;
    expect(await credential.get()).toBe("ya29.token-1-abcdef");
    clock += 2_000; // now inside the margin
    expect(await credential.get()).toBe("ya29.token-2-abcdef");
    expect(endpoint.requests).toHaveLength(2);
  });

  it("fetches once however many calls wait (single flight)", async () => {
    const endpoint = await tokenEndpoint(undefined, 100);
    const { credential } = credentialFor(`${endpoint.url}/token`);
    const values = await Promise.all(Array.from({ length: 20 }, () => credential.get()));
    expect(new Set(values)).toEqual(new Set(["ya29.token-1-abcdef"]));
    expect(endpoint.requests).toHaveLength(1);
  });

  it("20 concurrent calls answered 401 refresh once, and each is re-sent with the new token", async () => {
    const endpoint = await tokenEndpoint(undefined, 50);
    const { credential, issued } = credentialFor(`${endpoint.url}/token`);
    // tok-1 is revoked by the vendor: every request carrying it gets 401.
    const vendor = await startHttpStub((req) =>
      req.headers.authorization === "Bearer ya29.token-1-abcdef"
        ? {
            status: 401,
            body: { error: { code: 401, message: "Invalid Credentials", status: "UNAUTHENTICATED" } },
          }
        : { status: 200, body: { ok: true } },
    );
    stubs.push(vendor);
    const scrubbed: string[] = [];
    const client = createUpstreamClient({
      system: "gmail",
      baseUrl: vendor.url,
      credential,
      authHeaders: (t) => ({ authorization: `Bearer ${t}` }),
      logger: createLogger({ level: "silent", scrubber: createScrubber() }),
      scrub: (t) => {
        scrubbed.push(t);
        return t;
      },
    });
    await credential.get(); // holds tok-1
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        client.request(
          {
            method: "GET",
            path: "/x",
            operation: "x",
            safeToRepeat: true,
            schema: z.object({ ok: z.boolean() }),
          },
          { stats: newCallStats() },
        ),
      ),
    );
    expect(results.every((r) => r.body.ok)).toBe(true);
    expect(endpoint.requests).toHaveLength(2); // the first token, and exactly one refresh
    expect(issued.map((t) => t.value)).toEqual(["ya29.token-1-abcdef", "ya29.token-2-abcdef"]);
    await client.close();
  });

  it("invalid_grant is PERMISSION_DENIED saying the refresh token was revoked, with no secret in the text", async () => {
    const endpoint = await tokenEndpoint(() => ({
      status: 400,
      body: { error: "invalid_grant", error_description: `Token has been expired or revoked. ${REFRESH}` },
    }));
    const { credential, lines } = credentialFor(`${endpoint.url}/token`);
    const error = await credential.get().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isToolError(error)).toBe(true);
    expect(error).toMatchObject({ code: "PERMISSION_DENIED" });
    expect((error as Error).message).toMatch(/refresh token was revoked/);
    const text = JSON.stringify(error) + (error as Error).message + lines.join("\n");
    expect(text).not.toContain(REFRESH);
    expect(text).not.toContain(SECRET);
  });

  it("a token endpoint that fails is UPSTREAM_UNAVAILABLE (retryable), and 429 is RATE_LIMITED", async () => {
    const down = await tokenEndpoint(() => ({ status: 503, body: "busy" }));
    await expect(credentialFor(`${down.url}/token`).credential.get()).rejects.toMatchObject({
      code: "UPSTREAM_UNAVAILABLE",
      retryable: true,
    });
    const limited = await tokenEndpoint(() => ({ status: 429, body: { error: "rate_limit_exceeded" } }));
    await expect(credentialFor(`${limited.url}/token`).credential.get()).rejects.toMatchObject({
      code: "RATE_LIMITED",
    });
  });
});
