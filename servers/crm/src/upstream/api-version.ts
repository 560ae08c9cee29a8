/**
 * HubSpot's date-based API versions this server speaks (`HUBSPOT_API_VERSION`). HubSpot
 * publishes a version each March and September and supports each for 18 months; the numbered
 * `/crm/v3`, `/crm/v4` and `/account-info/v3` paths go unsupported in 2027, so none is used.
 */
export const HUBSPOT_API_VERSIONS = ["2026-09", "2026-03"] as const;

/** One supported version. */
export type HubSpotApiVersion = (typeof HUBSPOT_API_VERSIONS)[number];

/** The current GA version: the default. */
export const DEFAULT_HUBSPOT_API_VERSION: HubSpotApiVersion = "2026-09";

/** The CRM object types this server reads and writes. */
export type CrmObjectType = "companies" | "contacts" | "notes";

/** Every HubSpot path this server calls, for one version: the only place paths are spelt. */
export interface HubSpotPaths {
  readonly version: HubSpotApiVersion;
  /** `GET /account-info/{version}/details`. */
  accountDetails(): string;
  /** `POST /crm/objects/{version}/{objectType}` (create). */
  objects(type: CrmObjectType): string;
  /** `GET, PATCH /crm/objects/{version}/{objectType}/{objectId}`. */
  object(type: CrmObjectType, id: string): string;
  /** `POST /crm/objects/{version}/{objectType}/search`. */
  search(type: CrmObjectType): string;
  /** `POST /crm/objects/{version}/{objectType}/batch/upsert`. */
  batchUpsert(type: CrmObjectType): string;
  /** `POST /crm/associations/{version}/{fromObjectType}/{toObjectType}/batch/read`. */
  associationsBatchRead(from: CrmObjectType, to: CrmObjectType): string;
  /** `PUT /crm/objects/{version}/{fromObjectType}/{fromObjectId}/associations/default/{toObjectType}/{toObjectId}`. */
  associateDefault(from: CrmObjectType, fromId: string, to: CrmObjectType, toId: string): string;
}

/** The paths of `version`; ids are percent-encoded (they come from the agent). */
export function hubspotPaths(version: HubSpotApiVersion): HubSpotPaths {
  const id = encodeURIComponent;
  const objects = `/crm/objects/${version}`;
  return {
    version,
    accountDetails: () => `/account-info/${version}/details`,
    objects: (type) => `${objects}/${type}`,
    object: (type, objectId) => `${objects}/${type}/${id(objectId)}`,
    search: (type) => `${objects}/${type}/search`,
    batchUpsert: (type) => `${objects}/${type}/batch/upsert`,
    associationsBatchRead: (from, to) => `/crm/associations/${version}/${from}/${to}/batch/read`,
    associateDefault: (from, fromId, to, toId) =>
      `${objects}/${from}/${id(fromId)}/associations/default/${to}/${id(toId)}`,
  };
}

/** Whether `text` names a supported version. */
export function isHubSpotApiVersion(text: string): text is HubSpotApiVersion {
  return (HUBSPOT_API_VERSIONS as readonly string[]).includes(text);
}
