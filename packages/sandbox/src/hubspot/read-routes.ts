import { hubspotAssociationsPage, hubspotObject } from "../fixtures/hubspot.js";
import type { EmulatorReply, EmulatorRequest } from "../http/types.js";
import type { HubSpotStore, StoredRecord } from "./hubspot-store.js";
import { compareIds, pick } from "./search-route.js";
import { notFound } from "./write-routes.js";

type ObjectType = "companies" | "contacts" | "notes";

/** Properties a get returns when none are asked for. */
const DEFAULT_GET: Record<ObjectType, string[]> = {
  companies: ["name", "domain", "createdate", "hs_lastmodifieddate", "hs_object_id"],
  contacts: ["email", "firstname", "lastname", "createdate", "lastmodifieddate", "hs_object_id"],
  notes: ["hs_createdate", "hs_lastmodifieddate", "hs_object_id"],
};

const SINGULAR: Record<string, string> = { companies: "company", contacts: "contact", notes: "note" };

/** Association type ids (HUBSPOT_DEFINED) of each direction this portal holds. */
const TYPE_IDS: Record<string, number> = {
  "companies/contacts": 280,
  "contacts/companies": 279,
  "companies/notes": 189,
  "notes/companies": 190,
  "contacts/notes": 201,
  "notes/contacts": 202,
};

/** `GET /crm/v3/objects/{type}/{id}?properties=a,b&associations=contacts`. */
export function getRecord(
  store: HubSpotStore,
  request: EmulatorRequest,
  correlationId: string,
): EmulatorReply {
  const type = request.params.type as ObjectType;
  const record = source(store, type)?.get(request.params.id!);
  if (!record) return notFound(correlationId, request.params.id!);
  const asked = request.query.get("properties");
  const wanted = new Set(asked ? asked.split(",").filter(Boolean) : DEFAULT_GET[type]);
  wanted.add("hs_object_id");
  const body: Record<string, unknown> = hubspotObject(record.id, pick(record, wanted), record);
  const associations: Record<string, unknown> = {};
  for (const toType of (request.query.get("associations") ?? "").split(",").filter(Boolean)) {
    const ids = associatedIds(store, type, record.id, toType);
    if (ids.length > 0) {
      associations[toType] = {
        results: ids.map((id) => ({ id, type: `${SINGULAR[type]}_to_${SINGULAR[toType] ?? toType}` })),
      };
    }
  }
  if (Object.keys(associations).length > 0) body.associations = associations;
  return { status: 200, body };
}

/** `GET /crm/v4/objects/{type}/{id}/associations/{toType}?limit=&after=` (ascending ids, up to 500 a page). */
export function listAssociations(
  store: HubSpotStore,
  request: EmulatorRequest,
  correlationId: string,
): EmulatorReply {
  const { type = "", id = "", toType = "" } = request.params;
  if (!source(store, type as ObjectType)?.has(id)) return notFound(correlationId, id);
  const limit = Math.min(500, Math.max(1, Number(request.query.get("limit") ?? 500) || 500));
  const offset = Math.max(0, Number(request.query.get("after") ?? 0) || 0);
  const ids = associatedIds(store, type, id, toType).sort(compareIds);
  const page = ids.slice(offset, offset + limit);
  const typeId = TYPE_IDS[`${type}/${toType}`] ?? 0;
  const next = offset + page.length;
  return {
    status: 200,
    body: hubspotAssociationsPage(
      page.map((toObjectId) => ({ toObjectId, typeId })),
      next < ids.length ? String(next) : undefined,
    ),
  };
}

function source(store: HubSpotStore, type: ObjectType): Map<string, StoredRecord> | undefined {
  return type === "companies"
    ? store.companies
    : type === "contacts"
      ? store.contacts
      : type === "notes"
        ? store.notes
        : undefined;
}

function associatedIds(store: HubSpotStore, type: string, id: string, toType: string): string[] {
  if (type === "companies" && toType === "contacts") return [...(store.companyContacts.get(id) ?? [])];
  if (type === "companies" && toType === "notes") return [...(store.companyNotes.get(id) ?? [])];
  if (type === "contacts" && toType === "companies") return [...(store.contactCompanies.get(id) ?? [])];
  if (type === "notes") {
    const note = store.notes.get(id);
    return toType === "companies"
      ? (note?.companyIds ?? [])
      : toType === "contacts"
        ? (note?.contactIds ?? [])
        : [];
  }
  if (type === "contacts" && toType === "notes") {
    return [...store.notes.values()].filter((n) => n.contactIds.includes(id)).map((n) => n.id);
  }
  return [];
}
