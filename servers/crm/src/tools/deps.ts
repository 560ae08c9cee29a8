import type { CompanyFieldName } from "../model/company-fields.js";
import type { HubSpot } from "../upstream/client.js";

/** What the CRM tools need. */
export interface CrmToolDeps {
  hubspot: HubSpot;
  /** Company fields `update_account_fields` may set (`CRM_UPDATABLE_PROPERTIES`). */
  updatableFields: readonly CompanyFieldName[];
  /** Epoch ms now (tests fix it). */
  now: () => number;
}
