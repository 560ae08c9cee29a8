import type { StoredRecord } from "./hubspot-store.js";

/** One filter of a search request. */
export interface Filter {
  propertyName: string;
  operator: string;
  value?: unknown;
  highValue?: unknown;
  values?: unknown[];
}

/** Operators HubSpot search accepts. */
export const OPERATORS = new Set([
  "EQ",
  "NEQ",
  "LT",
  "LTE",
  "GT",
  "GTE",
  "BETWEEN",
  "IN",
  "NOT_IN",
  "HAS_PROPERTY",
  "NOT_HAS_PROPERTY",
  "CONTAINS_TOKEN",
  "NOT_CONTAINS_TOKEN",
]);

/**
 * Whether `record` passes `filter`. Values compare case-insensitively as text, numerically
 * when both sides are numbers, and as epoch milliseconds when the stored value is an ISO
 * date (HubSpot filters date properties with millisecond values).
 */
export function passes(record: StoredRecord, filter: Filter): boolean {
  const stored = filter.propertyName === "hs_object_id" ? record.id : record.properties[filter.propertyName];
  const has = stored !== null && stored !== undefined && stored !== "";
  switch (filter.operator) {
    case "HAS_PROPERTY":
      return has;
    case "NOT_HAS_PROPERTY":
      return !has;
    case "EQ":
      return has && compare(stored, filter.value) === 0;
    case "NEQ":
      return !has || compare(stored, filter.value) !== 0;
    case "LT":
      return has && compare(stored, filter.value) < 0;
    case "LTE":
      return has && compare(stored, filter.value) <= 0;
    case "GT":
      return has && compare(stored, filter.value) > 0;
    case "GTE":
      return has && compare(stored, filter.value) >= 0;
    case "BETWEEN":
      return has && compare(stored, filter.value) >= 0 && compare(stored, filter.highValue) <= 0;
    case "IN":
      return has && (filter.values ?? []).some((v) => compare(stored, v) === 0);
    case "NOT_IN":
      return !has || !(filter.values ?? []).some((v) => compare(stored, v) === 0);
    case "CONTAINS_TOKEN":
      return has && containsToken(stored, String(filter.value ?? ""));
    case "NOT_CONTAINS_TOKEN":
      return !has || !containsToken(stored, String(filter.value ?? ""));
    default:
      return false;
  }
}

function compare(stored: string, raw: unknown): number {
  const value = String(raw ?? "");
  const a = Number(stored);
  const b = Number(value);
  if (stored.trim() !== "" && value.trim() !== "" && Number.isFinite(a) && Number.isFinite(b)) return a - b;
  if (/^\d{4}-\d{2}-\d{2}T/.test(stored) && Number.isFinite(b)) return Date.parse(stored) - b;
  return stored.toLowerCase().localeCompare(value.toLowerCase());
}

/** A token match: whole words, `*` a wildcard (HubSpot's CONTAINS_TOKEN). */
function containsToken(stored: string, token: string): boolean {
  const pattern = new RegExp(
    `^${token
      .toLowerCase()
      .replace(/[.+?^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")}$`,
  );
  return stored
    .toLowerCase()
    .split(/[^a-z0-9@.*_-]+/)
    .some((word) => pattern.test(word));
}
