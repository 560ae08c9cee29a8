import { createHash, createPrivateKey, createPublicKey, type KeyObject } from "node:crypto";
import type { CredentialProvider } from "@gtm-mcp/tool-kit/upstream";
import { decodeJwt, SignJWT } from "jose";

/** What the `X-Snowflake-Authorization-Token-Type` header says. */
export type SnowflakeTokenType = "KEYPAIR_JWT" | "OAUTH" | "PROGRAMMATIC_ACCESS_TOKEN";

/** A credential and the token type Snowflake must be told. */
export interface SnowflakeAuth {
  tokenType: SnowflakeTokenType;
  credential: CredentialProvider;
}

/** Snowflake accepts key-pair JWTs valid for at most one hour. */
const JWT_LIFETIME_MS = 59 * 60_000;
/** A JWT is replaced this long before it expires, so a request never carries one about to lapse. */
const RENEW_BEFORE_MS = 5 * 60_000;

/** Options of {@link keyPairAuth}. */
export interface KeyPairOptions {
  /** `SNOWFLAKE_ACCOUNT` as configured (a locator may carry a region: `xy12345.us-east-1`). */
  account: string;
  user: string;
  /** The PEM private key (PKCS#8, encrypted or not), read at each signing so a rotated file is used. */
  privateKey: () => string;
  passphrase?: () => string | undefined;
  /** Re-reads the key file; true when it changed (for a 401 after a rotation). */
  refreshKey?: () => Promise<boolean>;
  /**
   * Told of every JWT as it is signed, before it is sent anywhere: the JWT is a bearer
   * credential derived from the key, so the server registers it with the scrubber here.
   */
  onSign?: (token: string, expiresAtMs: number) => void;
  now?: () => number;
}

/**
 * The account as the JWT names it: upper case, without a region or cloud suffix
 * (`xy12345.us-east-1.aws` → `XY12345`; an org-account name `myorg-acct` stays whole).
 */
export function jwtAccount(account: string): string {
  return account.split(".")[0]!.toUpperCase();
}

/** `SHA256:` + base64 of the SHA-256 of the DER (SPKI) public key: how Snowflake names a key. */
export function publicKeyFingerprint(privateKey: KeyObject): string {
  const der = createPublicKey(privateKey).export({ type: "spki", format: "der" });
  return `SHA256:${createHash("sha256").update(der).digest("base64")}`;
}

/**
 * Key-pair authentication: an RS256 JWT with `iss = ACCOUNT.USER.SHA256:<fingerprint>`,
 * `sub = ACCOUNT.USER`, `iat`, `exp` (59 minutes), signed with `jose` and renewed five minutes
 * before it expires. `refresh` (after a 401) re-reads the key and signs a new token. Each
 * signed JWT goes to `onSign` first (the scrubber's registration).
 *
 * @throws Error when the key cannot be read (a bad PEM or passphrase): at start, through
 * {@link checkPrivateKey}, and never with the key in the message.
 */
export function keyPairAuth(options: KeyPairOptions): SnowflakeAuth {
  const now = options.now ?? Date.now;
  const qualified = `${jwtAccount(options.account)}.${options.user.toUpperCase()}`;
  let cached: { token: string; renewAt: number } | undefined;

  async function sign(): Promise<string> {
    const key = readKey(options.privateKey(), options.passphrase?.());
    const issuedAt = Math.floor(now() / 1000);
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: "RS256", typ: "JWT" })
      .setIssuer(`${qualified}.${publicKeyFingerprint(key)}`)
      .setSubject(qualified)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + JWT_LIFETIME_MS / 1000)
      .sign(key);
    options.onSign?.(token, issuedAt * 1000 + JWT_LIFETIME_MS);
    cached = { token, renewAt: issuedAt * 1000 + JWT_LIFETIME_MS - RENEW_BEFORE_MS };
    return token;
  }

  return {
    tokenType: "KEYPAIR_JWT",
    credential: {
      async get() {
        if (cached && now() < cached.renewAt) return cached.token;
        return sign();
      },
      async refresh() {
        await options.refreshKey?.();
        cached = undefined;
        // A fresh JWT is worth one more attempt even with the same key (clock skew, expiry).
        return true;
      },
      // The signed JWT's `exp`, for the credential expiry metric (renewed by this process).
      expiresAt: () => (cached ? cached.renewAt + RENEW_BEFORE_MS : undefined),
    },
  };
}

/**
 * Checks that the private key can be read (at start, so a bad key or passphrase stops the
 * server with one line instead of failing every call).
 *
 * @throws Error without the key's text.
 */
export function checkPrivateKey(pem: string, passphrase: string | undefined): void {
  readKey(pem, passphrase);
}

function readKey(pem: string, passphrase: string | undefined): KeyObject {
  try {
    const key = createPrivateKey({ key: pem, format: "pem", ...(passphrase ? { passphrase } : {}) });
    if (key.asymmetricKeyType !== "rsa") throw new Error("not an RSA key");
    return key;
  } catch (error) {
    const reason =
      error instanceof Error && error.message === "not an RSA key"
        ? "it is not an RSA key"
        : "a PEM private key (PKCS#8) and, for an encrypted one, SNOWFLAKE_PRIVATE_KEY_PASSPHRASE were expected";
    throw new Error(`SNOWFLAKE_PRIVATE_KEY cannot be read: ${reason}`);
  }
}

/**
 * An OAuth or programmatic access token, sent as it is. Nothing here renews it, so its expiry
 * (when knowable) is reported as `renewed="false"`: the configured `expiresAt` (the
 * `expires_at` that `SHOW USER PROGRAMMATIC ACCESS TOKENS` lists), else the `exp` claim of a
 * token that is a JWT (read, not verified: Snowflake verifies it).
 */
export function tokenAuth(
  credential: CredentialProvider,
  tokenType: "OAUTH" | "PROGRAMMATIC_ACCESS_TOKEN",
  options: { expiresAt?: number | undefined } = {},
): SnowflakeAuth {
  const configured = options.expiresAt;
  let last: { token: string; exp: number | undefined } | undefined;
  return {
    tokenType,
    credential: {
      ...credential,
      renews: false,
      expiresAt() {
        if (configured !== undefined) return configured;
        const token = credential.get();
        // A `_FILE` token read synchronously: only its cached value, never a pending read.
        if (typeof token !== "string") return last?.exp;
        if (last?.token !== token) last = { token, exp: jwtExpiry(token) };
        return last.exp;
      },
    },
  };
}

/** Epoch ms of a JWT's `exp`, or undefined for an opaque token. */
export function jwtExpiry(token: string): number | undefined {
  try {
    const { exp } = decodeJwt(token);
    return typeof exp === "number" && Number.isFinite(exp) ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}
