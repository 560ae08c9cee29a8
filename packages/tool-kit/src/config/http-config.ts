import { isIP } from "node:net";
import type { GtmEnv } from "../core/gtm-env.js";
import { COMMON_VARS } from "./common-vars.js";
import { ConfigError } from "./config-error.js";
import { readSecret, readVar } from "./read-var.js";
import type { Secret, SecretRegistry } from "./secret.js";

/** Shortest bearer token accepted: shorter ones can be guessed. */
export const MIN_HTTP_TOKEN_LENGTH = 16;

/** RFC 6750 `b64token`: what a bearer token may hold, so it survives the `Authorization` header. */
const TOKEN_SYNTAX = /^[A-Za-z0-9\-._~+/]+=*$/;

/** The Streamable HTTP settings (`GTM_HTTP_*`), read only when `--http` is given. */
export interface HttpConfig {
  /** The address to listen on. */
  host: string;
  /** The port; 0 for a free one. */
  port: number;
  /** The accepted bearer tokens, one secret re-read on SIGHUP; `parts()` lists them. */
  tokens: Secret;
  /**
   * Accepted `Host` header values (lower case). Undefined: `localhost`, `127.0.0.1` and
   * `[::1]` at the bound port, which only a loopback `host` may rely on.
   */
  allowedHosts: string[] | undefined;
  /** Accepted `Origin` values (`https://app.example.com`); a request with any other is refused. */
  allowedOrigins: string[];
}

/**
 * Reads the `GTM_HTTP_*` variables and adds the tokens to `secrets`, so that they are
 * scrubbed from every log line and re-read on SIGHUP. Serving HTTP without authentication
 * is refused, and so is listening beyond loopback without a Host allow-list (DNS rebinding).
 *
 * @throws ConfigError naming the variable: no token, a token too short or malformed, a bad
 * port, host, Host value or origin, or `GTM_HTTP_ALLOWED_HOSTS` unset on a non-loopback host.
 */
export function loadHttpConfig(
  env: NodeJS.ProcessEnv,
  secrets: SecretRegistry,
  gtmEnv: GtmEnv = "sandbox",
): HttpConfig {
  const host = readVar("GTM_HTTP_HOST", COMMON_VARS.GTM_HTTP_HOST, env, gtmEnv) as string;
  const port = readVar("GTM_HTTP_PORT", COMMON_VARS.GTM_HTTP_PORT, env, gtmEnv) as number;
  const tokens = readSecret("GTM_HTTP_TOKENS", COMMON_VARS.GTM_HTTP_TOKENS, env, gtmEnv, {
    split: splitTokens,
  });
  if (tokens === undefined) {
    throw new ConfigError(
      "GTM_HTTP_TOKENS",
      "must be set (or GTM_HTTP_TOKENS_FILE) with --http: refusing to serve HTTP without authentication",
    );
  }
  secrets.add(tokens);
  const allowedHosts = readVar("GTM_HTTP_ALLOWED_HOSTS", COMMON_VARS.GTM_HTTP_ALLOWED_HOSTS, env, gtmEnv) as
    | string[]
    | undefined;
  if (allowedHosts === undefined && !isLoopbackHost(host)) {
    throw new ConfigError(
      "GTM_HTTP_ALLOWED_HOSTS",
      `must be set when GTM_HTTP_HOST (${host}) is not a loopback address: list the Host header values clients use, e.g. mcp.example.com`,
    );
  }
  const allowedOrigins =
    (readVar("GTM_HTTP_ALLOWED_ORIGINS", COMMON_VARS.GTM_HTTP_ALLOWED_ORIGINS, env, gtmEnv) as
      | string[]
      | undefined) ?? [];
  return { host, port, tokens, allowedHosts, allowedOrigins };
}

/**
 * Splits a token list (comma-separated, or one per line in the file) and checks each token.
 * Problems name the token's position, never its value.
 *
 * @throws ConfigError naming `GTM_HTTP_TOKENS`.
 */
export function splitTokens(value: string): string[] {
  const tokens = value
    .split(/[,\r\n]+/)
    .map((token) => token.trim())
    .filter((token) => token !== "");
  if (tokens.length === 0) {
    throw new ConfigError("GTM_HTTP_TOKENS", "holds no token; expected tokens separated by commas or lines");
  }
  tokens.forEach((token, i) => {
    if (token.length < MIN_HTTP_TOKEN_LENGTH) {
      throw new ConfigError(
        "GTM_HTTP_TOKENS",
        `token ${i + 1} is too short: each token must be at least ${MIN_HTTP_TOKEN_LENGTH} characters`,
      );
    }
    if (!TOKEN_SYNTAX.test(token)) {
      throw new ConfigError(
        "GTM_HTTP_TOKENS",
        `token ${i + 1} holds a character a bearer token cannot carry (expected A-Z a-z 0-9 - . _ ~ + / and trailing =)`,
      );
    }
  });
  return tokens;
}

/** Whether `host` only answers on this machine: `localhost`, 127.0.0.0/8 or ::1. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, "").toLowerCase();
  if (bare === "localhost" || bare === "::1" || bare === "0:0:0:0:0:0:0:1") return true;
  return isIP(bare) === 4 && bare.startsWith("127.");
}
