import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * Integrity protection for state a server hands a client and later reads back (a cursor, a
 * confirmation's request state): the client can carry it, but not forge, alter or move it to
 * another purpose, and it stops being accepted at its expiry. HMAC-SHA256 under a server key
 * (`GTM_STATE_SECRET`, shared by replicas; a random one per process when unset).
 *
 * A sealed token is `<payload>.<tag>`, both base64url; the payload is readable JSON (it is
 * not encrypted): seal nothing secret.
 */
export interface StateSeal {
  /** A token carrying `data` for `purpose`, accepted by {@link open} until `ttlMs` from `now`. */
  seal(purpose: string, data: unknown, ttlMs: number, now?: number): string;
  /**
   * The data sealed for `purpose`, or undefined when the token is malformed, forged, altered,
   * sealed for another purpose or expired.
   */
  open(purpose: string, token: unknown, now?: number): unknown;
}

/** Longest token {@link StateSeal.open} reads; anything longer is refused unread. */
const MAX_TOKEN_CHARS = 16_384;

/** A {@link StateSeal} under `secret` (a random 32-byte key when undefined). */
export function createStateSeal(secret?: string): StateSeal {
  const key = secret === undefined ? randomBytes(32) : Buffer.from(secret, "utf8");
  const tagOf = (purpose: string, payload: string): Buffer =>
    createHmac("sha256", key).update(purpose).update("\u0000").update(payload).digest();
  return {
    seal(purpose, data, ttlMs, now = Date.now()) {
      const payload = Buffer.from(JSON.stringify({ e: now + ttlMs, d: data ?? null })).toString("base64url");
      return `${payload}.${tagOf(purpose, payload).toString("base64url")}`;
    },
    open(purpose, token, now = Date.now()) {
      if (typeof token !== "string" || token.length > MAX_TOKEN_CHARS) return undefined;
      const dot = token.indexOf(".");
      if (dot <= 0 || dot !== token.lastIndexOf(".")) return undefined;
      const payload = token.slice(0, dot);
      const given = Buffer.from(token.slice(dot + 1), "base64url");
      const wanted = tagOf(purpose, payload);
      if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) return undefined;
      try {
        const body = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as {
          e?: unknown;
          d?: unknown;
        };
        if (typeof body.e !== "number" || body.e <= now) return undefined;
        return body.d;
      } catch {
        return undefined;
      }
    },
  };
}
