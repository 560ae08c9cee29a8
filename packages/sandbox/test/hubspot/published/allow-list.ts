import type { Violation, ViolationPlace } from "./openapi-contract.js";

/**
 * One known difference between HubSpot's published OpenAPI description and the API as
 * HubSpot documents it, which the crm server or the emulator follows on purpose. Each entry
 * matches exactly one kind of violation (version, operation, place, keyword, property), and
 * the contract check fails on an entry that matched nothing, so none outlives its reason.
 */
export interface AllowedDeviation {
  id: string;
  /** Versions it applies to (all when absent). */
  versions?: readonly string[];
  /** `METHOD /template` of the operations it applies to. */
  operation: RegExp;
  where: ViolationPlace;
  keyword: string;
  /** Narrows to one status, pointer or missing property. */
  status?: number;
  pointer?: RegExp;
  missingProperty?: string;
  /** Why the project does what it does. */
  reason: string;
  /** HubSpot's documentation it follows. */
  docs: string;
}

/** The allow-list of the HubSpot contract check. */
export const ALLOWED_DEVIATIONS: readonly AllowedDeviation[] = [
  {
    id: "search-after-optional",
    operation: /^POST \/crm\/objects\/[^/]+\/(\{objectType\}|companies|contacts|notes)\/search$/,
    where: "request.body",
    keyword: "required",
    missingProperty: "after",
    reason:
      "PublicObjectSearchRequest lists `after` as required, but it is the paging cursor: HubSpot's search guide sends it only for a next page, and a first page has none to send.",
    docs: "https://developers.hubspot.com/docs/guides/api/crm/search (Paging through results)",
  },
  {
    id: "search-sorts-optional",
    operation: /^POST \/crm\/objects\/[^/]+\/(\{objectType\}|companies|contacts|notes)\/search$/,
    where: "request.body",
    keyword: "required",
    missingProperty: "sorts",
    reason:
      "PublicObjectSearchRequest lists `sorts` as required, but HubSpot's search guide makes sorting optional (results are then in HubSpot's default order); the crm server sorts nothing.",
    docs: "https://developers.hubspot.com/docs/guides/api/crm/search (Sorting search results)",
  },
  {
    id: "2026-03-null-property-values",
    versions: ["2026-03"],
    operation: /^(GET|POST|PATCH) \/crm\/objects\/2026-03\//,
    where: "response.body",
    keyword: "type",
    pointer: /\/properties\/[^/]+$/,
    reason:
      "The 2026-03 description types every property value as a non-null string, but HubSpot answers null for a requested property that has no value; the 2026-09 description corrects this (`nullable: true`).",
    docs: "HubSpot's own 2026-09 description of the same objects (CRM/{Companies,Contacts,Notes}/Rollouts/424/2026-09: SimplePublicObject.properties values `nullable: true`), and the CRM objects guide https://developers.hubspot.com/docs/guides/api/crm/understanding-the-crm",
  },
  {
    id: "2026-09-batch-upsert-207",
    versions: ["2026-09"],
    operation: /^POST \/crm\/objects\/2026-09\/\{objectType\}\/batch\/upsert$/,
    where: "response.status",
    keyword: "undescribed",
    status: 207,
    reason:
      "The 2026-09 description lists only 200 for a batch upsert (its schema gained `errors` and `numErrors`); the 2026-03 description and HubSpot's batch documentation answer a partial failure with 207 Multi-Status and the same body. The emulator answers 207 and the crm server reads errors from either.",
    docs: "HubSpot's 2026-03 description of the same operation (CRM/Contacts/Rollouts/424/2026-03: 207 BatchResponseSimplePublicUpsertObjectWithErrors), and the contacts guide https://developers.hubspot.com/docs/guides/api/crm/objects/contacts (batch upsert)",
  },
];

/** The entry that allows `violation`, if any. */
export function allowedBy(violation: Violation): AllowedDeviation | undefined {
  return ALLOWED_DEVIATIONS.find(
    (entry) =>
      (entry.versions === undefined ||
        (violation.version !== undefined && entry.versions.includes(violation.version))) &&
      entry.operation.test(violation.operation) &&
      entry.where === violation.where &&
      entry.keyword === violation.keyword &&
      (entry.status === undefined || entry.status === violation.status) &&
      (entry.pointer === undefined || entry.pointer.test(violation.pointer)) &&
      (entry.missingProperty === undefined || violation.params?.missingProperty === entry.missingProperty),
  );
}
