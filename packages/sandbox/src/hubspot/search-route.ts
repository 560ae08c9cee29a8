import { hubspotErrorBody, hubspotObject, hubspotSearchPage } from "../fixtures/hubspot.js";
import type { EmulatorReply, EmulatorRequest } from "../http/types.js";
import type { HubSpotStore, StoredRecord } from "./hubspot-store.js";
import { type Filter, OPERATORS, passes } from "./search-filter.js";

/** HubSpot search cannot page past this many results (vendors.md). */
export const SEARCH_WINDOW = 10_000;
const MAX_GROUPS = 5;
const MAX_FILTERS_PER_GROUP = 10;
const MAX_FILTERS = 25;
const MAX_LIMIT = 200;

/** Properties every search result carries besides the ones asked for. */
const DEFAULT_PROPERTIES: Record<string, string[]> = {
  companies: ["name", "domain", "createdate", "hs_lastmodifieddate", "hs_object_id"],
  contacts: ["email", "firstname", "lastname", "createdate", "lastmodifieddate", "hs_object_id"],
  notes: ["hs_createdate", "hs_lastmodifieddate", "hs_object_id"],
};

interface SearchBody {
  filterGroups?: Array<{ filters?: Filter[] }>;
  sorts?: Array<{ propertyName?: string; direction?: string } | string>;
  query?: string;
  properties?: string[];
  limit?: number;
  after?: string | number;
}

/**
 * `POST /crm/objects/{version}/{type}/search`: groups OR, filters AND; at most 5 groups, 10 filters
 * in a group, 25 in all; `limit` ≤ 200; `after` is an offset, and paging past 10,000 results
 * is a 400 (vendors.md). No match is 200 with `total: 0, results: []`.
 */
export function searchRecords(
  store: HubSpotStore,
  type: "companies" | "contacts" | "notes",
  request: EmulatorRequest,
  correlationId: string,
): EmulatorReply {
  const body = (request.body ?? {}) as SearchBody;
  const invalid = (message: string): EmulatorReply => ({
    status: 400,
    body: hubspotErrorBody("VALIDATION_ERROR", message, correlationId),
  });
  const groups = body.filterGroups ?? [];
  if (!Array.isArray(groups)) return invalid("filterGroups must be an array");
  if (groups.length > MAX_GROUPS)
    return invalid(`Too many filter groups: ${groups.length} (at most ${MAX_GROUPS})`);
  let total = 0;
  for (const group of groups) {
    const filters = group.filters ?? [];
    if (filters.length > MAX_FILTERS_PER_GROUP) {
      return invalid(`Too many filters in a group: ${filters.length} (at most ${MAX_FILTERS_PER_GROUP})`);
    }
    total += filters.length;
    for (const f of filters) {
      if (!OPERATORS.has(f.operator)) return invalid(`Invalid operator ${String(f.operator)}`);
      if (typeof f.propertyName !== "string" || f.propertyName === "")
        return invalid("A filter has no propertyName");
    }
  }
  if (total > MAX_FILTERS) return invalid(`Too many filters: ${total} (at most ${MAX_FILTERS} in all)`);
  const limit = body.limit ?? 10;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    return invalid(`limit must be between 1 and ${MAX_LIMIT}, got ${String(body.limit)}`);
  }
  const offset = body.after === undefined || body.after === "" ? 0 : Number(body.after);
  if (!Number.isInteger(offset) || offset < 0) return invalid(`Invalid after: ${String(body.after)}`);
  if (offset >= SEARCH_WINDOW) {
    return invalid(`Paging is limited to the first 10,000 results; after=${offset} is past that limit`);
  }

  const source = type === "companies" ? store.companies : type === "contacts" ? store.contacts : store.notes;
  const query = body.query?.trim().toLowerCase();
  let matches = [...source.values()].filter(
    (r) =>
      (groups.length === 0 || groups.some((g) => (g.filters ?? []).every((f) => passes(r, f)))) &&
      (!query || Object.values(r.properties).some((v) => v?.toLowerCase().includes(query))),
  );
  matches = sortRecords(matches, body.sorts);
  const page = matches.slice(offset, Math.min(offset + limit, SEARCH_WINDOW));
  const wanted = new Set([...(DEFAULT_PROPERTIES[type] ?? []), ...(body.properties ?? [])]);
  const next = offset + page.length;
  return {
    status: 200,
    body: hubspotSearchPage(
      page.map((r) => hubspotObject(r.id, pick(r, wanted), r)),
      { total: matches.length, ...(next < matches.length && page.length > 0 ? { after: String(next) } : {}) },
    ),
  };
}

function sortRecords(records: StoredRecord[], sorts: SearchBody["sorts"]): StoredRecord[] {
  const first = sorts?.[0];
  const sort =
    typeof first === "string"
      ? {
          propertyName: first.replace(/^-/, ""),
          direction: first.startsWith("-") ? "DESCENDING" : "ASCENDING",
        }
      : first;
  const byId = (a: StoredRecord, b: StoredRecord) => compareIds(a.id, b.id);
  if (!sort?.propertyName) return records.sort(byId);
  const name = sort.propertyName;
  const sign = sort.direction === "DESCENDING" ? -1 : 1;
  return records.sort((a, b) => {
    const x = name === "hs_object_id" ? a.id : (a.properties[name] ?? "");
    const y = name === "hs_object_id" ? b.id : (b.properties[name] ?? "");
    const numeric = Number(x) - Number(y);
    const order = Number.isFinite(numeric) && x !== "" && y !== "" ? numeric : x.localeCompare(y);
    return sign * order || byId(a, b);
  });
}

/** Numeric ids in numeric order. */
export function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

/** The properties asked for; ones the record lacks come back as null, like HubSpot. */
export function pick(record: StoredRecord, wanted: Set<string>): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const name of wanted)
    out[name] = name === "hs_object_id" ? record.id : (record.properties[name] ?? null);
  return out;
}
