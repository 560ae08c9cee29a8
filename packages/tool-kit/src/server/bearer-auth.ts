import { createHash, timingSafeEqual } from "node:crypto";

/** The realm named in every `WWW-Authenticate` challenge. */
export const AUTH_REALM = "gtm-mcp";

/** What {@link BearerVerifier.check} found in an `Authorization` header. */
export type BearerCheck = "ok" | "missing" | "invalid";

/** Checks `Authorization: Bearer …` headers against the configured tokens. */
export interface BearerVerifier {
  check(authorization: string | undefined): BearerCheck;
}

/**
 * A verifier over a live token list: `tokens()` is read on every check, so tokens re-read
 * on SIGHUP take effect at once (digests are recomputed only when the list changed).
 * `missing`: no header, or not the Bearer scheme; `invalid`: a bearer token none of the
 * configured ones matches.
 */
export function createBearerVerifier(tokens: () => readonly string[]): BearerVerifier {
  let cachedKey: string | undefined;
  let digests: Buffer[] = [];
  return {
    check(authorization) {
      const presented = bearerToken(authorization);
      if (presented === undefined) return "missing";
      const current = tokens();
      const key = current.join("\n");
      if (key !== cachedKey) {
        digests = current.map(sha256);
        cachedKey = key;
      }
      return matchesAny(presented, digests) ? "ok" : "invalid";
    },
  };
}

/**
 * Whether `presented` equals one of the tokens whose SHA-256 digests are `digests`, in time
 * that does not depend on where (or whether) it differs: both sides are hashed to the same
 * length for `timingSafeEqual`, and every digest is compared, with no early exit.
 */
export function matchesAny(presented: string, digests: readonly Buffer[]): boolean {
  const candidate = sha256(presented);
  let found = false;
  for (const digest of digests) found = timingSafeEqual(candidate, digest) || found;
  return found;
}

/** The SHA-256 digest of a token, as {@link matchesAny} compares them. */
export function sha256(text: string): Buffer {
  return createHash("sha256").update(text, "utf8").digest();
}

/** The `WWW-Authenticate` value for a refused request (RFC 6750 §3). */
export function bearerChallenge(check: Exclude<BearerCheck, "ok">): string {
  return check === "invalid"
    ? `Bearer realm="${AUTH_REALM}", error="invalid_token"`
    : `Bearer realm="${AUTH_REALM}"`;
}

/**
 * What follows `Bearer ` (scheme case-insensitive), or undefined when there is no header,
 * another scheme or nothing after it. A malformed rest is returned as it is: it matches no
 * token, so it is answered as an invalid token.
 */
function bearerToken(authorization: string | undefined): string | undefined {
  const match = /^Bearer(?: +(.*))?$/i.exec(authorization?.trim() ?? "");
  const token = match?.[1]?.trim();
  return token === undefined || token === "" ? undefined : token;
}
