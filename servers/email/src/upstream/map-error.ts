import type { VendorErrorInput, VendorErrorMapping } from "@gtm-mcp/tool-kit/upstream";

/** Gmail's error body (vendors.md): `{error:{code, message, status?, errors:[{domain, reason, message}]}}`. */
interface GmailErrorBody {
  message?: string;
  status?: string;
  reasons: string[];
}

const RATE_REASONS = new Set(["rateLimitExceeded", "userRateLimitExceeded"]);
const MESSAGE_LIMIT = 200;

/**
 * Maps a failed Gmail answer to the error the caller sees (vendors.md). Never the raw body:
 * only Gmail's `message`, shortened, and the facts below.
 *
 * - 429, or 403 with reason `rateLimitExceeded` / `userRateLimitExceeded` → RATE_LIMITED,
 *   the wait parsed from the message when it carries one ("Retry after <time>").
 * - 403 `dailyLimitExceeded` → QUOTA_EXHAUSTED (terminal until the quota resets).
 * - 403 `insufficientPermissions` (and any other 403), 401 → PERMISSION_DENIED.
 * - 404 → NOT_FOUND; 5xx → UPSTREAM_UNAVAILABLE; other 4xx → UPSTREAM_REJECTED.
 */
export function mapGmailError(input: VendorErrorInput): VendorErrorMapping {
  const body = readGmailError(input.body);
  const { status } = input;
  const reason = body.reasons[0];
  const said = body.message ? shorten(body.message) : undefined;
  const details = body.reasons.length ? { details: { reason } } : {};

  if (status === 429 || (status === 403 && body.reasons.some((r) => RATE_REASONS.has(r)))) {
    const retryAfterMs = waitFromMessage(body.message, Date.now());
    return {
      code: "RATE_LIMITED",
      message: `Gmail rate limit (${reason ?? status})${retryAfterMs !== undefined ? `; retry after ${retryAfterMs} ms` : ""}`,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      ...details,
    };
  }
  if (status === 403 && body.reasons.includes("dailyLimitExceeded")) {
    return {
      code: "QUOTA_EXHAUSTED",
      message: "Gmail daily quota exhausted (dailyLimitExceeded); calls fail until it resets",
      ...details,
    };
  }
  if (status === 401) {
    return { code: "PERMISSION_DENIED", message: "Gmail rejected the access token (401) after a refresh" };
  }
  if (status === 403) {
    return {
      code: "PERMISSION_DENIED",
      message: `Gmail denied ${input.request.operation} (${reason ?? "403"}): the token lacks a scope this needs (gmail.compose, gmail.readonly)`,
      ...details,
    };
  }
  if (status === 404) {
    return {
      code: "NOT_FOUND",
      message: `Gmail: ${said ?? "not found"} (${input.request.operation})`,
      ...details,
    };
  }
  if (status >= 500) return { code: "UPSTREAM_UNAVAILABLE", ...(said ? { message: `Gmail: ${said}` } : {}) };
  return {
    code: "UPSTREAM_REJECTED",
    message: `Gmail rejected ${input.request.operation} (${status}${reason ? `, ${reason}` : ""})${said ? `: ${said}` : ""}`,
    ...details,
  };
}

/** Reads Gmail's error body defensively: any field may be missing. */
export function readGmailError(body: unknown): GmailErrorBody {
  const error = (body as { error?: unknown } | undefined)?.error;
  if (error === null || typeof error !== "object") return { reasons: [] };
  const e = error as { message?: unknown; status?: unknown; errors?: unknown };
  const reasons = Array.isArray(e.errors)
    ? e.errors
        .map((item) => (item as { reason?: unknown } | null)?.reason)
        .filter((r): r is string => typeof r === "string" && /^[A-Za-z]{1,60}$/.test(r))
    : [];
  return {
    ...(typeof e.message === "string" ? { message: e.message } : {}),
    ...(typeof e.status === "string" ? { status: e.status } : {}),
    reasons,
  };
}

/**
 * The wait a Gmail message asks for: "Retry after 2026-11-21T10:00:00.000Z" (the per-user
 * send limit's 429), or "retry in 30 seconds". Undefined when it names none.
 */
export function waitFromMessage(message: string | undefined, now: number): number | undefined {
  if (!message) return undefined;
  const at = /retry after\s+(\d{4}-\d{2}-\d{2}T[0-9:.]+Z)/i.exec(message);
  if (at) {
    const when = Date.parse(at[1]!);
    if (!Number.isNaN(when)) return Math.max(0, when - now);
  }
  const delta =
    /retry (?:after|in)\s+(\d+(?:\.\d+)?)\s*(ms|milliseconds?|s|sec|seconds?|m|min|minutes?)\b/i.exec(
      message,
    );
  if (delta) {
    const n = Number(delta[1]);
    const unit = delta[2]!.toLowerCase();
    return Math.ceil(
      unit.startsWith("ms") || unit.startsWith("milli") ? n : unit.startsWith("m") ? n * 60_000 : n * 1000,
    );
  }
  return undefined;
}

function shorten(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point
  const clean = text.replace(/[\u0000-\u001f\u007f]/g, " ").trim();
  return clean.length > MESSAGE_LIMIT ? `${clean.slice(0, MESSAGE_LIMIT)}…` : clean;
}
