import type { Dispatcher } from "undici";
import type { z } from "zod";
import type { CallScope } from "../core/call-scope.js";
import type { ErrorCode } from "../errors/index.js";
import type { Logger } from "../logging/index.js";

export type { CallScope } from "../core/call-scope.js";

/** HTTP methods the vendor clients use. */
export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/**
 * Supplies the current credential. A token is never an argument of a request, a log field
 * or an error text: the client asks the provider when it builds the auth header.
 */
export interface CredentialProvider {
  /** The current secret value. */
  get(): Promise<string> | string;
  /**
   * Re-reads the secret from its source (a `_FILE`), or obtains a new one (an OAuth refresh),
   * returning true when it changed. `rejected` is the value the vendor answered 401 to: a
   * provider whose current value is already another one need not fetch again. Absent when
   * the secret cannot be renewed.
   */
  refresh?(rejected?: string): Promise<boolean>;
  /**
   * Epoch ms at which the current value stops working, when the provider knows it (an OAuth
   * access token, a signed JWT); the client reports it to the metrics after each attempt.
   */
  expiresAt?(): number | undefined;
  /**
   * False when nothing in this process renews the value (a programmatic access token a person
   * must replace before `expiresAt`): its expiry is then reported as `renewed="false"`, which
   * is what the expiry alert watches. Default true.
   */
  renews?: boolean;
}

/** One request to a vendor. */
export interface UpstreamRequest<T> {
  method: HttpMethod;
  /** Path below the base URL, `/crm/v3/objects/companies/search`. */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  /** JSON body. */
  body?: unknown;
  headers?: Record<string, string>;
  /** A name for logs and metrics: `companies.search`. */
  operation: string;
  /**
   * Whether repeating the request cannot act twice (reads, searches, upserts on a stable
   * identifier, requests carrying a vendor idempotency token). Only such requests are
   * retried inside a call, and only they may be re-sent after the request was written.
   */
  safeToRepeat: boolean;
  /** Schema of a successful body; a body that does not parse is `UPSTREAM_CONTRACT_VIOLATION`. */
  schema: z.ZodType<T>;
  /** Statuses that count as success (default: any 2xx). */
  okStatuses?: number[];
  /**
   * Query parameters added to every attempt after the first: a vendor's resubmit marker
   * (Snowflake's `retry=true` beside the same `requestId`).
   */
  retryQuery?: Record<string, string | number | boolean>;
}

/** A successful vendor answer, its body parsed by the request's schema. */
export interface UpstreamResponse<T> {
  status: number;
  headers: Record<string, string>;
  body: T;
  /** The vendor's request or correlation id, when the mapper found one. */
  requestId?: string;
}

/** What the vendor's error mapper sees of a failed answer. */
export interface VendorErrorInput {
  status: number;
  headers: Record<string, string>;
  /** The body parsed as JSON when it was JSON, else the raw text (never shown to the model). */
  body: unknown;
  request: { method: HttpMethod; path: string; operation: string; safeToRepeat: boolean };
}

/**
 * A vendor's reading of a failed answer. Fields left out fall back to the tool-kit defaults
 * (5xx → UPSTREAM_UNAVAILABLE, 429 → RATE_LIMITED, 401/403 → PERMISSION_DENIED,
 * 404 → NOT_FOUND, other 4xx → UPSTREAM_REJECTED).
 */
export interface VendorErrorMapping {
  code?: ErrorCode;
  /** A short human message extracted from the body: never the raw body. */
  message?: string;
  retryAfterMs?: number;
  requestId?: string;
  /** For validation errors: the property or input path at fault. */
  field?: string;
  details?: Record<string, unknown>;
  /**
   * False: this answer is final for the call whatever its code (not retried inside the call,
   * not counted as an outage), e.g. a statement the vendor timed out itself.
   */
  retry?: false;
}

/** Maps a vendor's failed answer to an error; returns undefined to use the defaults. */
export type VendorErrorMapper = (input: VendorErrorInput) => VendorErrorMapping | undefined;

/** Options of `createUpstreamClient`. */
export interface UpstreamClientOptions {
  /** Vendor name for errors and logs: `hubspot`, `peopledatalabs`, `snowflake`, `gmail`. */
  system: string;
  baseUrl: string;
  credential: CredentialProvider;
  /** Builds the auth headers from the current secret (`{ authorization: "Bearer …" }`). */
  authHeaders: (secret: string) => Record<string, string>;
  mapError?: VendorErrorMapper;
  /** Reads the vendor's request id from a success or failure (headers/body). */
  requestIdOf?: (headers: Record<string, string>, body: unknown) => string | undefined;
  logger: Logger;
  /** Removes secret values from texts (error messages, logged bodies). */
  scrub: (text: string) => string;
  /** Default per-call deadline when the scope gives none (default 8000 ms). */
  deadlineMs?: number;
  connectTimeoutMs?: number;
  /** Max connections to the vendor (default 16). */
  connections?: number;
  /** Tests pass an undici MockAgent here. */
  dispatcher?: Dispatcher;
  /** Circuit breaker: consecutive failures to open, and how long it stays open. */
  breaker?: { consecutiveFailures?: number; halfOpenAfterMs?: number };
  /**
   * Retry backoff base and cap (ms, defaults 100 and 2000), and the most HTTP attempts one
   * call makes (default 6; the deadline usually ends a call first, but a vendor answering
   * `Retry-After: 0` must not turn one call into hundreds of requests).
   */
  backoff?: {
    initialMs?: number;
    maxMs?: number;
    maxAttempts?: number;
    /**
     * The longest vendor wait hint honoured inside one call (default 5 s). A longer wait
     * (HubSpot's ten-second window, a Retry-After of a minute) is handed to the caller as
     * RATE_LIMITED with retryAfterMs at once, whatever the call's deadline: an agent does
     * better skipping ahead than holding a call open that long.
     */
    maxHintWaitMs?: number;
  };
  userAgent?: string;
}

/**
 * A vendor client over undici. `request` resolves with the parsed body or throws a
 * `ToolError` (UPSTREAM_UNAVAILABLE, UPSTREAM_TIMEOUT, RATE_LIMITED, QUOTA_EXHAUSTED,
 * PERMISSION_DENIED, NOT_FOUND, CONFLICT, UPSTREAM_REJECTED, UPSTREAM_CONTRACT_VIOLATION,
 * INVALID_INPUT, and INTERNAL for an unreadable credential or client misuse) carrying
 * `upstream: {system, status, requestId}` and the right `sideEffect`.
 */
export interface UpstreamClient {
  readonly system: string;
  request<T>(request: UpstreamRequest<T>, scope?: CallScope): Promise<UpstreamResponse<T>>;
  close(): Promise<void>;
}
