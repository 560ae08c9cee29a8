/**
 * Reading a vendor's "wait before retrying" hints. Vendors say it three ways: `Retry-After` in
 * seconds, `Retry-After` as an HTTP date, or a rate-limit reset header holding a point in time
 * (epoch seconds or ms, or a date) or, for the IETF `RateLimit-Reset` draft, seconds from now.
 */

/** Epoch seconds above this are taken as a point in time, not a delay (2001-09-09). */
const EPOCH_SECONDS_FLOOR = 1_000_000_000;
/** Epoch ms above this are taken as ms, not seconds. */
const EPOCH_MS_FLOOR = 100_000_000_000;

/**
 * The wait a `Retry-After` header asks for, in ms from `now`: `"120"` (delta seconds) or
 * `"Wed, 21 Oct 2026 07:28:00 GMT"` (an HTTP date). A date in the past gives 0. Returns
 * undefined for a missing or unreadable header (the caller then backs off on its own).
 */
export function parseRetryAfter(
  header: string | undefined | null,
  now: number = Date.now(),
): number | undefined {
  if (header === undefined || header === null) return undefined;
  const value = header.trim();
  if (value === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.ceil(Number(value) * 1000);
  // Only date-shaped text: Date.parse accepts odd inputs ("1", "-5") that are not dates.
  if (!/[a-z]/i.test(value)) return undefined;
  const at = Date.parse(value);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/**
 * The wait a rate-limit reset header asks for, in ms from `now`. Accepts epoch seconds,
 * epoch ms, an ISO or HTTP date, or small numbers as delta seconds (`RateLimit-Reset`).
 * Returns undefined when the value is missing or unreadable.
 */
export function parseResetHeader(
  header: string | undefined | null,
  now: number = Date.now(),
): number | undefined {
  if (header === undefined || header === null) return undefined;
  const value = header.trim();
  if (value === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) {
    const n = Number(value);
    if (n >= EPOCH_MS_FLOOR) return Math.max(0, Math.ceil(n - now));
    if (n >= EPOCH_SECONDS_FLOOR) return Math.max(0, Math.ceil(n * 1000 - now));
    return Math.ceil(n * 1000);
  }
  const at = Date.parse(value);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/**
 * The wait hint in a failed answer's headers (lower-case names), in ms: `Retry-After` first;
 * for a rate limit also `RateLimit-Reset` / `X-RateLimit-Reset`. A reset header is only read on
 * a rate limit: vendors send it on every answer, where it marks the window, not a retry time.
 */
export function waitHintOf(
  headers: Record<string, string>,
  rateLimited: boolean,
  now: number,
): number | undefined {
  const retryAfter = parseRetryAfter(headers["retry-after"], now);
  if (retryAfter !== undefined || !rateLimited) return retryAfter;
  return parseResetHeader(headers["ratelimit-reset"] ?? headers["x-ratelimit-reset"], now);
}
