import { hubspotAssociationsBatch, hubspotErrorBody, hubspotObject } from "../fixtures/hubspot.js";
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

/** `GET /crm/objects/{version}/{type}/{id}?properties=a,b&associations=contacts`. */
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

/** Associated ids one batch-read result holds before it pages. */
const ASSOCIATION_PAGE = 500;

/**
 * `POST /crm/associations/{version}/{fromType}/{toType}/batch/read` with
 * `{inputs:[{id, after?}]}` → 200 `{status, results:[{from:{id}, to:[{toObjectId,
 * associationTypes}], paging?}], startedAt, completedAt}` (the published descriptions of
 * 2026-03 and 2026-09). Each input pages on its own: `paging.next.after` (an offset here) goes
 * back in that input. A record with no associations of that type, or none at all, has no result.
 */
export function readAssociations(
  store: HubSpotStore,
  request: EmulatorRequest,
  correlationId: string,
  now: () => string,
): EmulatorReply {
  const { fromType = "", toType = "" } = request.params;
  const inputs = (request.body as { inputs?: Array<{ id?: unknown; after?: unknown }> } | undefined)?.inputs;
  if (!Array.isArray(inputs) || inputs.length === 0 || inputs.length > 1_000) {
    return {
      status: 400,
      body: hubspotErrorBody("VALIDATION_ERROR", "inputs must hold 1 to 1000 objects", correlationId),
    };
  }
  const startedAt = now();
  const typeId = TYPE_IDS[`${fromType}/${toType}`] ?? 0;
  const results = inputs.flatMap((input) => {
    const id = String(input?.id ?? "");
    if (!source(store, fromType as ObjectType)?.has(id)) return [];
    const offset = Math.max(0, Number(input?.after ?? 0) || 0);
    const ids = associatedIds(store, fromType, id, toType).sort(compareIds);
    const page = ids.slice(offset, offset + ASSOCIATION_PAGE);
    if (page.length === 0) return [];
    const next = offset + page.length;
    return [
      {
        from: id,
        to: page.map((toObjectId) => ({ toObjectId, typeId })),
        ...(next < ids.length ? { after: String(next) } : {}),
      },
    ];
  });
  return { status: 200, body: hubspotAssociationsBatch(results, startedAt, now()) };
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
