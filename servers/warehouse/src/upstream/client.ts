import type { Logger } from "@gtm-mcp/tool-kit/logging";
import {
  createUpstreamClient,
  type UpstreamClient,
  type UpstreamClientOptions,
} from "@gtm-mcp/tool-kit/upstream";
import type { SnowflakeAuth } from "./auth.js";
import { mapSnowflakeError, snowflakeRequestId, withoutTokens } from "./map-error.js";

/** The Snowflake SQL API client every statement function takes. */
export type Snowflake = UpstreamClient;

/** Options of {@link createSnowflakeClient}. */
export interface SnowflakeClientOptions {
  /** `https://<account>.snowflakecomputing.com`, or the sandbox emulator. */
  baseUrl: string;
  auth: SnowflakeAuth;
  logger: Logger;
  scrub: (text: string) => string;
  /** Tests pass a `mockVendor(...).dispatcher`. */
  dispatcher?: UpstreamClientOptions["dispatcher"];
  backoff?: UpstreamClientOptions["backoff"];
  /** Sent as `User-Agent` (Snowflake requires one). */
  userAgent?: string;
}

/**
 * A Snowflake SQL API v2 client: Bearer auth with the token-type header, Snowflake's error
 * mapping, statement handles as request ids, and bounded retries (each statement request
 * carries a `requestId`, so a resubmit cannot run it twice).
 */
export function createSnowflakeClient(options: SnowflakeClientOptions): Snowflake {
  return createUpstreamClient({
    system: "snowflake",
    baseUrl: options.baseUrl,
    credential: options.auth.credential,
    authHeaders: (token) => ({
      authorization: `Bearer ${token}`,
      "x-snowflake-authorization-token-type": options.auth.tokenType,
    }),
    mapError: mapSnowflakeError,
    requestIdOf: snowflakeRequestId,
    logger: options.logger,
    // Logged bodies and error texts lose any JWT too (the scrubber knows only configured secrets).
    scrub: (text) => options.scrub(withoutTokens(text)),
    backoff: { maxAttempts: 4, ...options.backoff },
    ...(options.userAgent ? { userAgent: options.userAgent } : {}),
    ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
  });
}
