import { type Dispatcher, request as undiciRequest } from "undici";
import { z } from "zod";
import { ToolError } from "../errors/index.js";
import type { Logger } from "../logging/index.js";
import type { CredentialProvider } from "./types.js";
import { parseRetryAfter } from "./wait-hints.js";

/** An access token from the token endpoint. */
export interface OAuthAccessToken {
  value: string;
  /** Epoch ms at which the endpoint said it expires. */
  expiresAt: number;
  /** The scopes the endpoint granted, when it said (`scope`, space-separated). */
  scopes: string[] | undefined;
}

/** Options of {@link oauthRefreshCredential}. */
export interface OAuthRefreshOptions {
  /** Vendor name for errors and logs (`google`). */
  system: string;
  tokenUrl: string;
  /** Read at each refresh, so rotated client secrets and refresh tokens are used. */
  clientId: () => string;
  clientSecret: () => string;
  refreshToken: () => string;
  /** Told of every new access token: register it with the scrubber. */
  onToken: (token: OAuthAccessToken) => void;
  logger: Logger;
  /** Refresh this long before the token expires (default 60 s). */
  expiryMarginMs?: number;
  /** The token request's timeout (default 10 s). */
  timeoutMs?: number;
  /** Tests pass an undici MockAgent or stub dispatcher. */
  dispatcher?: Dispatcher;
  /** Epoch ms now (tests move it). */
  now?: () => number;
}

/** A credential provider over an OAuth 2.0 refresh token, with the token it holds. */
export interface OAuthRefreshCredential extends CredentialProvider {
  get(): Promise<string>;
  /**
   * A new access token after the vendor refused `rejected` (one refresh however many callers
   * wait; none when the current token is already another one); true when it changed.
   */
  refresh(rejected?: string): Promise<boolean>;
  /** The current access token (fetching one when none is held or it is about to expire). */
  token(): Promise<OAuthAccessToken>;
}

const TokenAnswer = z.object({
  access_token: z.string().min(1),
  expires_in: z.coerce.number().positive(),
  token_type: z.string().optional(),
  scope: z.string().optional(),
});

const TokenError = z.object({ error: z.string(), error_description: z.string().optional() });

/**
 * An access token obtained with a refresh token (RFC 6749 §6: a form-encoded POST of
 * `grant_type=refresh_token`, client id and secret in the body), cached until
 * `expiryMarginMs` before it expires, fetched by one request however many calls wait (single
 * flight), and refreshed once more when the vendor answers 401 (the upstream client calls
 * `refresh`). Every new token goes to `onToken` before anyone uses it, so the scrubber knows
 * it. Nothing secret is ever in an error text or a log line.
 *
 * Throws `ToolError`: PERMISSION_DENIED when the endpoint refuses the grant (`invalid_grant`:
 * revoked or expired refresh token; `invalid_client`), RATE_LIMITED (429, with the wait),
 * UPSTREAM_UNAVAILABLE (5xx, unreachable), UPSTREAM_TIMEOUT, UPSTREAM_CONTRACT_VIOLATION (an
 * answer without a token).
 */
export function oauthRefreshCredential(options: OAuthRefreshOptions): OAuthRefreshCredential {
  const now = options.now ?? Date.now;
  const margin = options.expiryMarginMs ?? 60_000;
  let current: OAuthAccessToken | undefined;
  let inflight: Promise<OAuthAccessToken> | undefined;

  const fetchOnce = (): Promise<OAuthAccessToken> => {
    inflight ??= requestToken(options, now)
      .then((token) => {
        options.onToken(token);
        current = token;
        options.logger.info(
          { system: options.system, expiresInMs: token.expiresAt - now(), scopes: token.scopes },
          "access token refreshed",
        );
        return token;
      })
      .finally(() => {
        inflight = undefined;
      });
    return inflight;
  };

  const token = async (): Promise<OAuthAccessToken> => {
    if (current !== undefined && current.expiresAt - margin > now()) return current;
    return fetchOnce();
  };

  return {
    token,
    // The metrics' gtm_credential_expiry_seconds (the client reads it after each attempt).
    expiresAt: () => current?.expiresAt,
    async get() {
      return (await token()).value;
    },
    async refresh(rejected?: string) {
      // Many calls holding the same stale token get their 401s together: the first one
      // refreshes, the others join it or find the token already replaced.
      if (rejected !== undefined && current !== undefined && current.value !== rejected) return true;
      const before = current?.value;
      return (await (inflight ?? fetchOnce())).value !== before;
    },
  };
}

async function requestToken(options: OAuthRefreshOptions, now: () => number): Promise<OAuthAccessToken> {
  const { system } = options;
  const body = new URLSearchParams({
    grant_type: "refresh_token",
    refresh_token: options.refreshToken(),
    client_id: options.clientId(),
    client_secret: options.clientSecret(),
  }).toString();
  const upstream = { system };
  let status: number;
  let headers: Record<string, string | string[] | undefined>;
  let text: string;
  try {
    const answer = await undiciRequest(options.tokenUrl, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body,
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
    });
    status = answer.statusCode;
    headers = answer.headers;
    text = await answer.body.text();
  } catch (cause) {
    const timedOut = cause instanceof Error && (cause.name === "TimeoutError" || cause.name === "AbortError");
    throw new ToolError(
      timedOut ? "UPSTREAM_TIMEOUT" : "UPSTREAM_UNAVAILABLE",
      `The ${system} token endpoint ${timedOut ? "did not answer in time" : "could not be reached"}; no access token.`,
      { upstream, cause },
    );
  }
  const json = parseJson(text);
  if (status >= 200 && status < 300) {
    const parsed = TokenAnswer.safeParse(json);
    if (!parsed.success) {
      throw new ToolError(
        "UPSTREAM_CONTRACT_VIOLATION",
        `The ${system} token endpoint answered without a usable access token.`,
        { upstream: { system, status } },
      );
    }
    return {
      value: parsed.data.access_token,
      expiresAt: now() + parsed.data.expires_in * 1000,
      scopes: parsed.data.scope?.split(/\s+/).filter((s) => s !== ""),
    };
  }
  const refusal = TokenError.safeParse(json);
  const reason = refusal.success ? refusal.data.error : undefined;
  if (status === 429) {
    const retryAfterMs = parseRetryAfter(headerText(headers["retry-after"]), now());
    throw new ToolError("RATE_LIMITED", `The ${system} token endpoint is rate limiting.`, {
      upstream: { system, status },
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    });
  }
  if (status >= 500) {
    throw new ToolError("UPSTREAM_UNAVAILABLE", `The ${system} token endpoint failed (HTTP ${status}).`, {
      upstream: { system, status },
    });
  }
  if (reason === "invalid_grant") {
    throw new ToolError(
      "PERMISSION_DENIED",
      `The ${system} refresh token was revoked or has expired (invalid_grant); issue a new one.`,
      { upstream: { system, status }, details: { oauthError: reason } },
    );
  }
  throw new ToolError(
    "PERMISSION_DENIED",
    `The ${system} token endpoint refused the client credentials (HTTP ${status}${reason ? `, ${safeReason(reason)}` : ""}).`,
    { upstream: { system, status }, ...(reason ? { details: { oauthError: safeReason(reason) } } : {}) },
  );
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The OAuth error code only when it is a plain token (RFC 6749 codes are), never free text. */
function safeReason(reason: string): string {
  return /^[a-z_]{1,40}$/.test(reason) ? reason : "unrecognised error";
}
