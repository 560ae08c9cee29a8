import type { VendorErrorInput, VendorErrorMapping } from "@gtm-mcp/tool-kit/upstream";
import { parseRateWindows, parseResetAt } from "./rate-headers.js";

/** The fields of a PDL error body (`{"status":404,"error":{"type":"not_found","message":"…"}}`). */
interface PdlErrorBody {
  type?: string;
  message?: string;
}

/**
 * Maps a failed PDL answer (vendors.md) to the error the caller sees; never the raw body.
 *
 * - 404 with `error.type` `not_found` → NOT_FOUND (no match; not charged). A 404 without it is
 *   a route that does not exist (a wrong PDL_BASE_URL, a proxy) → UPSTREAM_UNAVAILABLE:
 *   telling the agent "no such company" then would be cached as a fact.
 * - 402 `payment_required` → QUOTA_EXHAUSTED (credits used up; terminal).
 * - 429 → RATE_LIMITED, waiting until `x-ratelimit-reset` (or, without it and with no minute
 *   calls left, until the next minute); the tool-kit waits when that fits the call's deadline.
 * - 401 → PERMISSION_DENIED (the key; the body is not quoted); 403 likewise.
 * - 400 and other 4xx → UPSTREAM_REJECTED with PDL's message; 5xx → UPSTREAM_UNAVAILABLE.
 */
export function mapPdlError(input: VendorErrorInput): VendorErrorMapping {
  const body = readErrorBody(input.body);
  const { status } = input;
  if (status === 404) {
    if (body.type === "not_found")
      return { code: "NOT_FOUND", message: "People Data Labs has no matching company" };
    return {
      code: "UPSTREAM_UNAVAILABLE",
      message: `People Data Labs answered 404 without not_found to ${input.request.operation}: the endpoint was not found (check PDL_BASE_URL)`,
    };
  }
  if (status === 402) {
    return {
      code: "QUOTA_EXHAUSTED",
      message:
        "People Data Labs credits are used up (402 payment_required); lookups fail until the plan is topped up",
    };
  }
  if (status === 429) return rateLimited(input.headers);
  if (status === 401 || status === 403) {
    return {
      code: "PERMISSION_DENIED",
      message: `People Data Labs rejected the API key (${status}): check PDL_API_KEY`,
    };
  }
  if (status >= 500)
    return { code: "UPSTREAM_UNAVAILABLE", message: `People Data Labs is unavailable (${status})` };
  return {
    code: "UPSTREAM_REJECTED",
    message: `People Data Labs rejected the request (${status}${body.type ? ` ${body.type}` : ""})${
      body.message ? `: ${body.message}` : ""
    }`,
  };
}

function rateLimited(headers: Record<string, string>): VendorErrorMapping {
  const now = Date.now();
  const resetAt = parseResetAt(headers["x-ratelimit-reset"]);
  const remaining = parseRateWindows(headers["x-ratelimit-remaining"]);
  let waitMs = resetAt !== undefined ? Math.max(0, resetAt - now) : undefined;
  if (waitMs === undefined && remaining?.minute === 0) waitMs = 60_000 - (now % 60_000);
  return {
    code: "RATE_LIMITED",
    message: `People Data Labs rate limit${waitMs !== undefined ? `; retry after ${waitMs} ms` : ""}`,
    ...(waitMs !== undefined ? { retryAfterMs: waitMs } : {}),
    ...(remaining ? { details: { remaining } } : {}),
  };
}

/**
 * PDL's error type and message, whitespace collapsed but NOT clipped: the tool-kit scrubs the
 * mapped message of secrets and only then truncates it (300 characters). A clip here would
 * come before the scrub, and a key cut in two would leave its prefix in the answer.
 */
function readErrorBody(body: unknown): PdlErrorBody {
  const error = isRecord(body) && isRecord(body.error) ? body.error : {};
  const text = (value: unknown) =>
    typeof value === "string" && value !== "" ? value.replace(/\s+/g, " ") : undefined;
  const type = text(error.type);
  const message = text(error.message);
  return { ...(type ? { type } : {}), ...(message ? { message } : {}) };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
