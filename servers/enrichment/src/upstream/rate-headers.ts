/**
 * PDL's rate headers (vendors.md): `x-ratelimit-limit` and `x-ratelimit-remaining` hold an
 * object keyed `minute` / `day` / `month`, sometimes written as a Python dict with single
 * quotes (`{'minute': 0}`); `x-ratelimit-reset` is a UTC timestamp to wait until, in a form
 * the docs do not pin down (*unverified*): epoch seconds or ms, ISO 8601, or
 * `YYYY-MM-DD HH:MM:SS` without a zone. Everything here reads leniently and returns
 * undefined rather than throwing.
 */

/** Remaining (or limit) counts per window; a window absent from the header is absent here. */
export interface RateWindows {
  minute?: number;
  day?: number;
  month?: number;
}

/** Reads `{"minute": 10, "day": 100}` or `{'minute': 10}`; undefined when unreadable. */
export function parseRateWindows(header: string | undefined): RateWindows | undefined {
  if (header === undefined || header.trim() === "") return undefined;
  const windows: RateWindows = {};
  for (const window of ["minute", "day", "month"] as const) {
    const match = new RegExp(`["']${window}["']\\s*:\\s*["']?(\\d+)`).exec(header);
    if (match?.[1] !== undefined) windows[window] = Number(match[1]);
  }
  return Object.keys(windows).length > 0 ? windows : undefined;
}

/**
 * Epoch ms named by `x-ratelimit-reset`, or undefined. A zone-less date-time is taken as UTC
 * (the header is documented as UTC; `Date.parse` would read it as local time).
 */
export function parseResetAt(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const value = header.trim().replace(/^["']|["']$/g, "");
  if (value === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) {
    const n = Number(value);
    return n >= 100_000_000_000 ? n : n * 1000;
  }
  const zoneless = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value);
  const at = Date.parse(zoneless ? `${value.replace(" ", "T")}Z` : value);
  return Number.isNaN(at) ? undefined : at;
}
