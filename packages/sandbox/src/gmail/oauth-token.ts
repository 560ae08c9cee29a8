import { randomBytes } from "node:crypto";
import { oauthErrorBody } from "../fixtures/gmail.js";
import type { EmulatorReply, EmulatorRequest } from "../http/types.js";

/** The scopes the sandbox's refresh token grants: least privilege for the email server. */
export const SANDBOX_SCOPES =
  "https://www.googleapis.com/auth/gmail.compose https://www.googleapis.com/auth/gmail.readonly";

/** An issued access token. */
export interface AccessToken {
  token: string;
  expiresAtMs: number;
  scopes: string[];
}

/** The Google OAuth token endpoint for one client and refresh token. */
export class TokenIssuer {
  readonly tokens = new Map<string, AccessToken>();
  revoked = false;
  issued = 0;
  refused = 0;

  constructor(
    private readonly client: { clientId: string; clientSecret: string; refreshToken: string; scope?: string },
    private readonly ttlSeconds: number,
    private readonly now: () => number,
  ) {}

  /**
   * `POST /token` (form-encoded) with `grant_type=refresh_token`: `{access_token, expires_in,
   * token_type, scope}`; 400 `invalid_grant` for a wrong or revoked refresh token, 401
   * `invalid_client` for a wrong client, 400 `unsupported_grant_type` otherwise.
   */
  handle(request: EmulatorRequest): EmulatorReply {
    const form = new URLSearchParams(request.rawBody);
    const basic = /^Basic\s+(\S+)$/i.exec(String(request.headers.authorization ?? ""))?.[1];
    const [basicId, basicSecret] = basic ? Buffer.from(basic, "base64").toString("utf8").split(":") : [];
    const clientId = form.get("client_id") ?? basicId;
    const clientSecret = form.get("client_secret") ?? basicSecret;
    const refuse = (status: number, error: string, description: string): EmulatorReply => {
      this.refused++;
      return { status, body: oauthErrorBody(error, description), headers: { "cache-control": "no-store" } };
    };
    if (form.get("grant_type") !== "refresh_token") {
      return refuse(400, "unsupported_grant_type", `Invalid grant_type: ${form.get("grant_type") ?? ""}`);
    }
    if (clientId !== this.client.clientId || clientSecret !== this.client.clientSecret) {
      return refuse(401, "invalid_client", "The OAuth client was not found.");
    }
    if (this.revoked || form.get("refresh_token") !== this.client.refreshToken) {
      return refuse(400, "invalid_grant", "Token has been expired or revoked.");
    }
    const token = `ya29.sandbox-${randomBytes(24).toString("base64url")}`;
    const scope = this.client.scope ?? SANDBOX_SCOPES;
    this.tokens.set(token, {
      token,
      expiresAtMs: this.now() + this.ttlSeconds * 1000,
      scopes: scope.split(" "),
    });
    this.issued++;
    return {
      status: 200,
      headers: { "cache-control": "no-cache, no-store, max-age=0, must-revalidate" },
      body: { access_token: token, expires_in: this.ttlSeconds, scope, token_type: "Bearer" },
    };
  }

  /** The live token behind `Authorization: Bearer …`, if any. */
  verify(header: unknown): AccessToken | undefined {
    const token = /^Bearer\s+(\S+)$/i.exec(String(header ?? ""))?.[1];
    const found = token ? this.tokens.get(token) : undefined;
    return found && found.expiresAtMs > this.now() ? found : undefined;
  }

  /** Every access token issued so far stops working (as when they expire). */
  expireAll(): void {
    for (const t of this.tokens.values()) t.expiresAtMs = 0;
  }
}
