import { createHash, createPublicKey, generateKeyPairSync } from "node:crypto";
import { decodeProtectedHeader, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { jwtAccount, keyPairAuth, tokenAuth } from "../../src/upstream/auth.js";

const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const pem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
/** The fingerprint as Snowflake computes it (DESC USER … RSA_PUBLIC_KEY_FP), from the public key alone. */
const fingerprint = `SHA256:${createHash("sha256")
  .update(publicKey.export({ type: "spki", format: "der" }))
  .digest("base64")}`;

describe("key-pair JWT", () => {
  it("carries iss = ACCOUNT.USER.SHA256:<fingerprint>, sub = ACCOUNT.USER, iat and exp within the hour, RS256", async () => {
    const now = Date.parse("2026-11-29T12:00:00Z");
    const auth = keyPairAuth({
      account: "xy12345.us-east-1",
      user: "gtm_reader",
      privateKey: () => pem,
      now: () => now,
    });
    expect(auth.tokenType).toBe("KEYPAIR_JWT");
    const token = await auth.credential.get();
    const { payload } = await jwtVerify(token, publicKey, { currentDate: new Date(now) });
    expect(payload.iss).toBe(`XY12345.GTM_READER.${fingerprint}`);
    expect(payload.sub).toBe("XY12345.GTM_READER");
    expect(payload.iat).toBe(now / 1000);
    expect(payload.exp! - payload.iat!).toBeGreaterThan(0);
    // The metrics' credential expiry is the JWT's own exp.
    expect(auth.credential.expiresAt?.()).toBe(payload.exp! * 1000);
    expect(payload.exp! - payload.iat!).toBeLessThanOrEqual(3600);
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: "RS256", typ: "JWT" });
  });

  it("reuses the token, renews it before it expires, and signs a fresh one after refresh()", async () => {
    let now = Date.parse("2026-11-29T12:00:00Z");
    const auth = keyPairAuth({ account: "myorg-acct", user: "u", privateKey: () => pem, now: () => now });
    const first = await auth.credential.get();
    now += 30 * 60_000;
    expect(await auth.credential.get()).toBe(first);
    now += 25 * 60_000; // 55 minutes after signing: within five minutes of expiry
    const renewed = await auth.credential.get();
    expect(renewed).not.toBe(first);
    const { payload } = await jwtVerify(renewed, publicKey, { currentDate: new Date(now) });
    expect(payload.iat).toBe(now / 1000);
    expect(payload.sub).toBe("MYORG-ACCT.U");
    expect(await auth.credential.refresh!()).toBe(true);
    now += 1_000;
    expect(await auth.credential.get()).not.toBe(renewed);
  });

  it("reads an encrypted key with its passphrase, and refuses a wrong one without showing the key", async () => {
    const encrypted = privateKey
      .export({ type: "pkcs8", format: "pem", cipher: "aes-256-cbc", passphrase: "correct horse battery" })
      .toString();
    const good = keyPairAuth({
      account: "a",
      user: "u",
      privateKey: () => encrypted,
      passphrase: () => "correct horse battery",
    });
    const { payload } = await jwtVerify(await good.credential.get(), createPublicKey(privateKey));
    expect(payload.iss).toBe(`A.U.${fingerprint}`);
    const bad = keyPairAuth({
      account: "a",
      user: "u",
      privateKey: () => encrypted,
      passphrase: () => "wrong",
    });
    const error = await Promise.resolve()
      .then(() => bad.credential.get())
      .then(
        () => undefined,
        (e: Error) => e,
      );
    expect(error?.message).toMatch(/^SNOWFLAKE_PRIVATE_KEY cannot be read/);
    expect(error?.message).not.toContain("BEGIN");
  });

  it("names the account without its region", () => {
    expect(jwtAccount("xy12345.us-east-1.aws")).toBe("XY12345");
    expect(jwtAccount("myorg-myaccount")).toBe("MYORG-MYACCOUNT");
  });
});

describe("token expiry (OAuth and programmatic access tokens)", () => {
  /** An unsigned JWT-format token with the given claims (only its `exp` is read). */
  const jwtShaped = (claims: Record<string, unknown>) =>
    [{ alg: "ES256", kid: "k" }, claims, "sig"]
      .map((part, i) => (i === 2 ? "c2ln" : Buffer.from(JSON.stringify(part)).toString("base64url")))
      .join(".");

  it("is the configured time, reported as not renewed by this process", () => {
    const at = Date.parse("2027-03-01T00:00:00Z");
    const auth = tokenAuth({ get: () => jwtShaped({ exp: 1 }) }, "PROGRAMMATIC_ACCESS_TOKEN", {
      expiresAt: at,
    });
    expect(auth.credential.renews).toBe(false);
    expect(auth.credential.expiresAt?.()).toBe(at);
  });

  it("is a JWT-format token's own exp when none is configured, and follows a rotated token", () => {
    let token = jwtShaped({ exp: 1_800_000_000 });
    const auth = tokenAuth({ get: () => token, refresh: async () => true }, "PROGRAMMATIC_ACCESS_TOKEN");
    expect(auth.credential.expiresAt?.()).toBe(1_800_000_000_000);
    token = jwtShaped({ exp: 1_900_000_000 });
    expect(auth.credential.expiresAt?.()).toBe(1_900_000_000_000);
    // The provider's refresh is kept: a rotated _FILE is still re-read after a 401.
    expect(auth.credential.refresh).toBeTypeOf("function");
  });

  it("is unknown for an opaque token, or a JWT without a numeric exp", () => {
    expect(
      tokenAuth({ get: () => "opaque-token-0123456789" }, "OAUTH").credential.expiresAt?.(),
    ).toBeUndefined();
    const noExp = tokenAuth({ get: () => jwtShaped({ exp: "soon" }) }, "PROGRAMMATIC_ACCESS_TOKEN");
    expect(noExp.credential.expiresAt?.()).toBeUndefined();
  });
});
