import type { z } from "zod";
import { type ErrorCode, type SideEffect, ToolError } from "../errors/index.js";
import type { TransportFailure } from "./dispatch-once.js";
import type { HttpMethod, VendorErrorMapper, VendorErrorMapping } from "./types.js";
import { waitHintOf } from "./wait-hints.js";

/** What classification needs to know about the request. */
export interface RequestFacts {
  method: HttpMethod;
  path: string;
  operation: string;
  safeToRepeat: boolean;
}

/** A failed attempt, classified: the error the caller would get, and what the retry loop needs. */
export interface AttemptFailure {
  error: ToolError;
  /** Whether the vendor may have seen the request (see `dispatch-once.ts`). */
  written: boolean;
  /** HTTP status, when the vendor answered. */
  status?: number;
  /** The vendor's wait hint, in ms. */
  waitHintMs?: number;
  /** Whether this failure says the vendor is unavailable (feeds the circuit breaker). */
  outage: boolean;
  /** The vendor body, scrubbed and truncated, for the log line only. */
  loggedBody?: string;
  /** The transport error code (`ECONNREFUSED`, `UND_ERR_SOCKET`), for the log line only. */
  transportCode?: string;
  /** The vendor mapper marked this answer final for the call (see `VendorErrorMapping.retry`). */
  final?: boolean;
}

/** Why the per-attempt signal fired, if it did. */
export type AbortCause = "deadline" | "cancelled" | undefined;

const MESSAGE_LIMIT = 300;
const LOGGED_BODY_LIMIT = 2000;

/**
 * undici codes that mean this process misused the client (a bad option, a closed client, a
 * MockAgent route a test forgot), not that the vendor is down: `INTERNAL`, never retried.
 */
const CLIENT_FAULT_CODES = new Set([
  "UND_ERR_INVALID_ARG",
  "UND_ERR_INVALID_RETURN_VALUE",
  "UND_ERR_NOT_SUPPORTED",
  "UND_ERR_DESTROYED",
  "UND_ERR_CLOSED",
  "UND_MOCK_ERR_MOCK_NOT_MATCHED",
]);

/** The code of the tool-kit default for an HTTP error status (the mapper may override it). */
export function defaultCodeForStatus(status: number): ErrorCode {
  if (status >= 500) return "UPSTREAM_UNAVAILABLE";
  if (status === 429) return "RATE_LIMITED";
  if (status === 401 || status === 403) return "PERMISSION_DENIED";
  if (status === 404) return "NOT_FOUND";
  if (status === 409) return "CONFLICT";
  return "UPSTREAM_REJECTED";
}

/**
 * A failure with no HTTP answer. Before the request was written: `UPSTREAM_UNAVAILABLE`
 * (nothing reached the vendor; any request may be sent again), or `UPSTREAM_TIMEOUT` when our
 * own deadline or a cancel stopped it while it waited for a connection. After it was written
 * (socket reset, `UND_ERR_SOCKET`, `UND_ERR_HEADERS_TIMEOUT`, `UND_ERR_BODY_TIMEOUT`, a parser
 * error, our deadline): `UPSTREAM_TIMEOUT`, with `sideEffect: "unknown"` unless the request
 * is safe to repeat. Client misuse (see `CLIENT_FAULT_CODES`): `INTERNAL`.
 */
export function classifyTransportFailure(
  failure: TransportFailure,
  system: string,
  request: RequestFacts,
  abortCause: AbortCause,
  deadlineMs: number,
): AttemptFailure {
  const code = errorCodeOf(failure.cause);
  const upstream = { system };
  const base = { written: failure.written, transportCode: code };
  if (code !== undefined && CLIENT_FAULT_CODES.has(code)) {
    const error = new ToolError("INTERNAL", `The ${system} client could not send ${request.operation}.`, {
      cause: failure.cause,
    });
    return { ...base, error, outage: false };
  }
  if (!failure.written) {
    if (abortCause !== undefined) {
      const why = abortCause === "deadline" ? `within ${deadlineMs} ms` : "before the call was cancelled";
      const error = new ToolError(
        "UPSTREAM_TIMEOUT",
        `No connection to ${system} ${why}; nothing was sent.`,
        {
          upstream,
          cause: failure.cause,
        },
      );
      return { ...base, error, outage: false };
    }
    const error = new ToolError(
      "UPSTREAM_UNAVAILABLE",
      `Could not reach ${system} for ${request.operation}${code ? ` (${code})` : ""}; nothing was sent.`,
      { upstream, cause: failure.cause },
    );
    return { ...base, error, outage: true };
  }
  const sideEffect: SideEffect = request.safeToRepeat ? "none" : "unknown";
  const message =
    abortCause === "deadline"
      ? `${system} did not answer ${request.operation} within ${deadlineMs} ms.`
      : abortCause === "cancelled"
        ? `The call was cancelled before ${system} answered ${request.operation}.`
        : `The connection to ${system} was lost after ${request.operation} was sent${code ? ` (${code})` : ""}.`;
  const error = new ToolError("UPSTREAM_TIMEOUT", message, { upstream, sideEffect, cause: failure.cause });
  // A cancel says nothing about the vendor's health.
  return { ...base, error, outage: abortCause !== "cancelled" };
}

/** Inputs of {@link classifyHttpError}. */
export interface HttpErrorInput {
  system: string;
  request: RequestFacts;
  status: number;
  headers: Record<string, string>;
  body: unknown;
  rawBody: string;
  requestId: string | undefined;
  mapError: VendorErrorMapper | undefined;
  scrub: (text: string) => string;
  now: number;
}

/**
 * An HTTP error answer: the tool-kit default code for the status (see
 * {@link defaultCodeForStatus}), with any field the vendor mapper returns taking precedence.
 * The vendor answered, so nothing happened (`sideEffect: "none"`), except a 5xx to a request
 * that is not safe to repeat: a 500 on a create can come after the record was committed, so
 * that is `"unknown"`. The message is the mapper's (scrubbed, truncated), or a generic one:
 * a vendor body is never the message.
 */
export function classifyHttpError(input: HttpErrorInput): AttemptFailure {
  const { system, request, status, scrub } = input;
  const mapping = safeMap(input);
  const code = mapping.code ?? defaultCodeForStatus(status);
  const rateLimited = code === "RATE_LIMITED" || status === 429;
  const waitHintMs = mapping.retryAfterMs ?? waitHintOf(input.headers, rateLimited, input.now);
  const requestId = mapping.requestId ?? input.requestId;
  const sideEffect: SideEffect = status >= 500 && !request.safeToRepeat ? "unknown" : "none";
  const message = mapping.message
    ? truncate(scrub(mapping.message), MESSAGE_LIMIT)
    : `${system} answered ${status} to ${request.operation}`;
  const error = new ToolError(code, message, {
    sideEffect,
    upstream: { system, status, ...(requestId ? { requestId: scrub(requestId) } : {}) },
    ...(waitHintMs !== undefined ? { retryAfterMs: waitHintMs } : {}),
    ...(mapping.field !== undefined ? { field: scrub(mapping.field) } : {}),
    ...(mapping.details !== undefined ? { details: scrubValue(mapping.details, scrub) } : {}),
  });
  return {
    error,
    written: true,
    status,
    outage: mapping.retry !== false && (code === "UPSTREAM_UNAVAILABLE" || code === "UPSTREAM_TIMEOUT"),
    ...(mapping.retry === false ? { final: true } : {}),
    loggedBody: truncate(scrub(input.rawBody), LOGGED_BODY_LIMIT),
    ...(waitHintMs !== undefined ? { waitHintMs } : {}),
  };
}

/** One drifted spot of a vendor body: where, and zod's reason. */
export interface DriftIssue {
  path: string;
  code: string;
  message: string;
}

/**
 * A 2xx answer the request's schema rejects (or that is not JSON):
 * `UPSTREAM_CONTRACT_VIOLATION`, terminal. The vendor acted, so a request that is not safe to
 * repeat reports `sideEffect: "committed"`.
 */
export function contractViolation(
  system: string,
  request: RequestFacts,
  status: number,
  requestId: string | undefined,
  issues: DriftIssue[],
  scrub: (text: string) => string,
): ToolError {
  const where = issues.length > 0 ? ` at ${issues.map((i) => i.path).join(", ")}` : "";
  const message = truncate(
    scrub(`${system} answered ${request.operation} with an unexpected shape${where}.`),
    MESSAGE_LIMIT,
  );
  return new ToolError("UPSTREAM_CONTRACT_VIOLATION", message, {
    sideEffect: request.safeToRepeat ? "none" : "committed",
    upstream: { system, status, ...(requestId ? { requestId: scrub(requestId) } : {}) },
    details: { drift: scrubValue(issues.slice(0, 10), scrub) },
  });
}

/** zod issues as drift records: `results[0].id`-style paths, at most 10. */
export function driftIssues(error: z.ZodError): DriftIssue[] {
  return error.issues.slice(0, 10).map((issue) => ({
    path: formatPath(issue.path),
    code: issue.code,
    message: issue.message,
  }));
}

function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return "(root)";
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out === "" ? String(key) : `.${String(key)}`;
  }
  return out;
}

/** The mapper's answer, or the defaults when it returns nothing or throws (a mapper bug must not hide the vendor's error). */
function safeMap(input: HttpErrorInput): VendorErrorMapping {
  if (!input.mapError) return {};
  try {
    return (
      input.mapError({
        status: input.status,
        headers: input.headers,
        body: input.body,
        request: { ...input.request },
      }) ?? {}
    );
  } catch {
    return {};
  }
}

function errorCodeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

function truncate(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}

function scrubValue<T>(value: T, scrub: (text: string) => string): T {
  try {
    return JSON.parse(scrub(JSON.stringify(value))) as T;
  } catch {
    // A replacement that broke the JSON: drop the value rather than risk a secret.
    return { redacted: true } as T;
  }
}
