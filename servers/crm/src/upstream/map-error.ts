import type { VendorErrorInput, VendorErrorMapping } from "@gtm-mcp/tool-kit/upstream";
import {
  missingScopesOf,
  propertyNameOf,
  readErrorBody,
  ruleRefusalMessage,
  ruleRefusalOf,
  shortMessageOf,
} from "./error-body.js";

/** How long each HubSpot rate-limit policy asks a caller to wait (vendors.md: no Retry-After is sent). */
const POLICY_WAIT_MS: Record<string, number> = { SECONDLY: 1_000, TEN_SECONDLY_ROLLING: 10_000 };

/**
 * Maps a failed HubSpot answer (vendors.md) to the error the caller sees. Never returns the
 * raw body: only HubSpot's `message` (shortened) and the facts below.
 *
 * - 429 by `policyName`: `SECONDLY` → RATE_LIMITED after 1 s, `TEN_SECONDLY_ROLLING` → 10 s,
 *   `DAILY` (or a daily-remaining header of 0) → QUOTA_EXHAUSTED, terminal.
 * - 401 → PERMISSION_DENIED (the token; the body is not quoted: it may echo the token).
 * - 403 → PERMISSION_DENIED naming the missing scopes when HubSpot lists them.
 * - category `OBJECT_NOT_FOUND` (not on a search) → NOT_FOUND; any other 404 is a missing
 *   route, not a missing record → UPSTREAM_UNAVAILABLE (retryable); 409 → CONFLICT.
 * - A write refused by one of the account's validation rules (from `2026-09`: a 400 whose
 *   embedded property error has a code outside HubSpot's type checks, e.g. `INVALID_ALPHA`)
 *   → INVALID_INPUT, terminal, `field` = the property, the message the rule's own.
 * - `VALIDATION_ERROR` and other 4xx → UPSTREAM_REJECTED, `field` = the HubSpot property at fault.
 * - 5xx → UPSTREAM_UNAVAILABLE (the tool-kit default, with HubSpot's correlation id).
 */
export function mapHubSpotError(input: VendorErrorInput): VendorErrorMapping {
  const body = readErrorBody(input.body);
  const requestId = body.correlationId;
  const base = requestId ? { requestId } : {};
  const { status } = input;

  if (status === 429) return rateLimit(input, body.policyName, base);
  if (status === 401) {
    return {
      ...base,
      code: "PERMISSION_DENIED",
      message: "HubSpot rejected the access token (401): check HUBSPOT_ACCESS_TOKEN",
    };
  }
  if (status === 403) {
    const scopes = missingScopesOf(body);
    const message = scopes.length
      ? `HubSpot denied ${input.request.operation}: the private app lacks the scope ${scopes.join(", ")}`
      : `HubSpot denied ${input.request.operation} (403)${body.message ? `: ${shortMessageOf(body)}` : ""}`;
    return {
      ...base,
      code: "PERMISSION_DENIED",
      message,
      ...(scopes.length ? { details: { missingScopes: scopes } } : {}),
    };
  }
  if (status >= 500) return { ...base, code: "UPSTREAM_UNAVAILABLE" };

  const message = shortMessageOf(body);
  const withMessage = { ...base, ...(message ? { message: `HubSpot: ${message}` } : {}) };
  if (body.category === "OBJECT_NOT_FOUND" && !isSearch(input)) return { ...withMessage, code: "NOT_FOUND" };
  if (status === 404) {
    // HubSpot says "no such object" with category OBJECT_NOT_FOUND (vendors.md). A 404 without
    // it, or on a search, is a route that does not exist (a wrong HUBSPOT_BASE_URL, a proxy):
    // telling the agent the account does not exist would invite duplicates.
    return {
      ...base,
      code: "UPSTREAM_UNAVAILABLE",
      message: `HubSpot answered 404 without OBJECT_NOT_FOUND to ${input.request.operation}: the endpoint was not found (check HUBSPOT_BASE_URL)`,
    };
  }
  if (status === 409) return { ...withMessage, code: "CONFLICT" };
  const refusal = status === 400 ? ruleRefusalOf(body) : undefined;
  if (refusal) {
    return {
      ...base,
      code: "INVALID_INPUT",
      message: ruleRefusalMessage(refusal),
      field: refusal.name,
      retry: false,
      details: { property: refusal.name, ...(refusal.error ? { rule: refusal.error } : {}) },
    };
  }
  const field = propertyNameOf(body);
  return {
    ...withMessage,
    code: "UPSTREAM_REJECTED",
    ...(field ? { field } : {}),
    ...(body.category ? { details: { category: body.category } } : {}),
  };
}

function rateLimit(
  input: VendorErrorInput,
  policyName: string | undefined,
  base: { requestId?: string },
): VendorErrorMapping {
  const dailyRemaining = input.headers["x-hubspot-ratelimit-daily-remaining"];
  if (policyName === "DAILY" || (policyName === undefined && dailyRemaining?.trim() === "0")) {
    return {
      ...base,
      code: "QUOTA_EXHAUSTED",
      message: "HubSpot daily API limit reached (DAILY); calls fail until the daily quota resets",
      details: { policyName: "DAILY" },
    };
  }
  const known = policyName !== undefined ? POLICY_WAIT_MS[policyName] : undefined;
  // An unnamed policy: a Retry-After (read by the tool-kit) wins, else the window length HubSpot reports.
  const interval = Number(input.headers["x-hubspot-ratelimit-interval-milliseconds"]);
  const waitMs =
    known ??
    (input.headers["retry-after"] !== undefined
      ? undefined
      : Number.isFinite(interval) && interval > 0
        ? interval
        : 1_000);
  const policy = policyName ?? "unnamed policy";
  return {
    ...base,
    code: "RATE_LIMITED",
    message: `HubSpot rate limit (${policy})${waitMs !== undefined ? `; retry after ${waitMs} ms` : ""}`,
    ...(waitMs !== undefined ? { retryAfterMs: waitMs } : {}),
    ...(policyName ? { details: { policyName } } : {}),
  };
}

/** HubSpot's request id: the body's `correlationId`, else the `x-hubspot-correlation-id` header. */
export function hubspotRequestId(headers: Record<string, string>, body: unknown): string | undefined {
  const fromBody = readErrorBody(body).correlationId;
  return fromBody ?? headers["x-hubspot-correlation-id"];
}

function isSearch(input: VendorErrorInput): boolean {
  return input.request.operation.endsWith(".search");
}
