import type { EmulatorReply, EmulatorRequest } from "../http/types.js";
import { SANDBOX_CREDENTIALS } from "../vendors.js";

const TOKEN_TYPES = new Set(["KEYPAIR_JWT", "OAUTH", "PROGRAMMATIC_ACCESS_TOKEN"]);

/** Who a request authenticates as. */
export interface SnowflakeCaller {
  account: string;
  user: string;
}

/**
 * Checks `Authorization: Bearer` and `X-Snowflake-Authorization-Token-Type` (vendors.md). A
 * KEYPAIR_JWT must carry `iss = ACCOUNT.USER.SHA256:<fingerprint>`, `sub = ACCOUNT.USER` and
 * an `exp` in the future no more than an hour after `iat`; the signature is not verified (the
 * emulator holds no public key). OAuth and programmatic access tokens: any non-empty token,
 * as the configured sandbox user.
 */
export function authenticateSnowflake(
  request: EmulatorRequest,
  nowMs: number,
): SnowflakeCaller | EmulatorReply {
  const token = /^Bearer\s+(\S+)$/i.exec(String(request.headers.authorization ?? ""))?.[1];
  const type = String(request.headers["x-snowflake-authorization-token-type"] ?? "").toUpperCase();
  if (!token) return unauthorized("390101", "Authorization header is missing or malformed.");
  if (type !== "" && !TOKEN_TYPES.has(type))
    return unauthorized("390104", `Unsupported authorization token type ${type}.`);
  if (type !== "KEYPAIR_JWT" && !(type === "" && token.split(".").length === 3)) {
    return { account: SANDBOX_CREDENTIALS.snowflake.account, user: SANDBOX_CREDENTIALS.snowflake.user };
  }
  const claims = decodeJwt(token);
  if (!claims) return unauthorized("390144", "JWT token is invalid.");
  const sub = typeof claims.sub === "string" ? claims.sub : "";
  const iss = typeof claims.iss === "string" ? claims.iss : "";
  const [account, user] = sub.split(".");
  const exp = Number(claims.exp);
  const iat = Number(claims.iat);
  if (!account || !user || sub !== sub.toUpperCase() || !iss.startsWith(`${sub}.SHA256:`)) {
    return unauthorized("390144", "JWT token is invalid.");
  }
  if (!Number.isFinite(exp) || exp * 1000 <= nowMs) return unauthorized("390318", "JWT token has expired.");
  if (Number.isFinite(iat) && exp - iat > 3600)
    return unauthorized("390144", "JWT token is invalid: exp is more than one hour after iat.");
  return { account, user };
}

function unauthorized(code: string, message: string): EmulatorReply {
  return { status: 401, body: { code, message } };
}

function decodeJwt(token: string): Record<string, unknown> | undefined {
  const payload = token.split(".")[1];
  if (!payload) return undefined;
  try {
    const value = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as unknown;
    return value !== null && typeof value === "object" ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
