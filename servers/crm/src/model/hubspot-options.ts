/** HubSpot's default lifecycle stages (internal values of `lifecyclestage`). */
export const LIFECYCLE_STAGES = [
  "subscriber",
  "lead",
  "marketingqualifiedlead",
  "salesqualifiedlead",
  "opportunity",
  "customer",
  "evangelist",
  "other",
] as const;

/** HubSpot's default lead statuses (internal values of `hs_lead_status`). */
export const LEAD_STATUSES = [
  "NEW",
  "OPEN",
  "IN_PROGRESS",
  "OPEN_DEAL",
  "UNQUALIFIED",
  "ATTEMPTED_TO_CONTACT",
  "CONNECTED",
  "BAD_TIMING",
] as const;

/** HubSpot's default company types (internal values of `type`). */
export const COMPANY_TYPES = ["PROSPECT", "PARTNER", "RESELLER", "VENDOR", "OTHER"] as const;
