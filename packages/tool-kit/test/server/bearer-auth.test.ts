import * as crypto from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { bearerChallenge, createBearerVerifier, matchesAny, sha256 } from "../../src/server/bearer-auth.js";

// Spied on, not replaced: the test checks how the comparison is made, the result stays real.
vi.mock("node:crypto", async (importOriginal) => {
  const original = await importOriginal<typeof import("node:crypto")>();
  return { ...original, timingSafeEqual: vi.fn(original.timingSafeEqual) };
});

const A = "token-aaaaaaaaaaaaaaaaaaaa";
const B = "token-bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

afterEach(() => vi.mocked(crypto.timingSafeEqual).mockClear());

describe("createBearerVerifier", () => {
  const verifier = createBearerVerifier(() => [A, B]);

  it("accepts any configured token, the scheme in any case", () => {
    expect(verifier.check(`Bearer ${A}`)).toBe("ok");
    expect(verifier.check(`bearer ${B}`)).toBe("ok");
    expect(verifier.check(`BEARER   ${B}  `)).toBe("ok");
  });

  it("calls a request without a bearer token missing, and a wrong one invalid", () => {
    expect(verifier.check(undefined)).toBe("missing");
    expect(verifier.check("")).toBe("missing");
    expect(verifier.check("Bearer ")).toBe("missing");
    expect(verifier.check(`Basic ${Buffer.from(`u:${A}`).toString("base64")}`)).toBe("missing");
    expect(verifier.check(`Bearer ${A.slice(0, -1)}`)).toBe("invalid");
    expect(verifier.check(`Bearer ${A}x`)).toBe("invalid");
    expect(verifier.check(`Bearer ${A} ${B}`)).toBe("invalid");
    expect(verifier.check(`Token ${A}`)).toBe("missing");
  });

  it("reads the token list on every check, so a rotated list applies at once", () => {
    let tokens = [A];
    const rotating = createBearerVerifier(() => tokens);
    expect(rotating.check(`Bearer ${A}`)).toBe("ok");
    tokens = [B];
    expect(rotating.check(`Bearer ${A}`)).toBe("invalid");
    expect(rotating.check(`Bearer ${B}`)).toBe("ok");
  });

  it("answers with RFC 6750 challenges naming the realm", () => {
    expect(bearerChallenge("missing")).toBe('Bearer realm="gtm-mcp"');
    expect(bearerChallenge("invalid")).toBe('Bearer realm="gtm-mcp", error="invalid_token"');
  });
});

describe("matchesAny (constant time)", () => {
  const digests = [sha256(A), sha256(B)];

  it("compares fixed-length digests with timingSafeEqual, every configured token, no early exit", () => {
    const spy = vi.mocked(crypto.timingSafeEqual);
    expect(matchesAny(A, digests)).toBe(true);
    // A matched the first digest, yet the second was compared too.
    expect(spy).toHaveBeenCalledTimes(2);
    for (const [left, right] of spy.mock.calls) {
      expect((left as Buffer).length).toBe(32);
      expect((right as Buffer).length).toBe(32);
    }
    spy.mockClear();
    // A short guess is not compared byte by byte against a long token: its digest is.
    expect(matchesAny("x", digests)).toBe(false);
    expect(spy).toHaveBeenCalledTimes(2);
    expect(spy.mock.calls.every(([left]) => (left as Buffer).length === 32)).toBe(true);
  });

  it("matches only the exact token", () => {
    expect(matchesAny(B, digests)).toBe(true);
    expect(matchesAny(B.toUpperCase(), digests)).toBe(false);
    expect(matchesAny("", digests)).toBe(false);
    expect(matchesAny(A, [])).toBe(false);
  });
});
