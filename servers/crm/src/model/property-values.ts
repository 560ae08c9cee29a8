/**
 * Reading HubSpot property values into typed fields. HubSpot sends every value as text and
 * an unset property as null or "" (or leaves it out): all of those are `null` here, never a
 * guessed default.
 */

/** The value as text, or null when unset. */
export function textOf(value: string | null | undefined): string | null {
  return value === undefined || value === null || value.trim() === "" ? null : value;
}

/** The value as a finite number, or null when unset or not a number. */
export function numberOf(value: string | null | undefined): number | null {
  const text = textOf(value);
  if (text === null) return null;
  const n = Number(text.trim());
  return Number.isFinite(n) ? n : null;
}

/**
 * A HubSpot datetime (ISO 8601, or epoch ms as text) as ISO 8601 UTC; the text itself when
 * it is neither (kept rather than dropped), null when unset.
 */
export function isoOf(value: string | null | undefined): string | null {
  const text = textOf(value)?.trim() ?? null;
  if (text === null) return null;
  const ms = /^\d{1,15}$/.test(text) ? Number(text) : Date.parse(text);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : text;
}

/** Epoch ms of a HubSpot datetime, or null. */
export function epochMsOf(value: string | null | undefined): number | null {
  const iso = isoOf(value);
  if (iso === null) return null;
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? ms : null;
}
