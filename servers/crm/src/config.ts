import { defineVar, secretVar, vendorUrlVar } from "@gtm-mcp/tool-kit/config";
import { z } from "zod";
import {
  COMPANY_FIELD_NAMES,
  COMPANY_FIELDS,
  type CompanyFieldName,
  companyFieldNamed,
  DEFAULT_UPDATABLE,
} from "./model/company-fields.js";
import {
  DEFAULT_HUBSPOT_API_VERSION,
  HUBSPOT_API_VERSIONS,
  type HubSpotApiVersion,
  isHubSpotApiVersion,
} from "./upstream/api-version.js";

/** HubSpot's public API: the default in staging and production. */
export const DEFAULT_BASE_URL = "https://api.hubapi.com";

/** The sandbox's HubSpot emulator: the default in `GTM_ENV=sandbox`. */
export const SANDBOX_BASE_URL = "http://127.0.0.1:4010";

/**
 * Parses `CRM_UPDATABLE_PROPERTIES`: a comma list of catalog fields, each by its field name
 * (`lifecycle_stage`) or its HubSpot property (`lifecyclestage`). Unknown names are an error
 * naming them, so a typo cannot silently narrow or widen what the agent may write.
 */
export const updatableList = z.string().transform((raw, ctx): CompanyFieldName[] => {
  const names = raw
    .split(",")
    .map((n) => n.trim())
    .filter((n) => n !== "");
  const unknown = names.filter((n) => companyFieldNamed(n) === undefined);
  if (unknown.length > 0) {
    const known = COMPANY_FIELD_NAMES.map((f) => `${f} (${COMPANY_FIELDS[f].property})`).join(", ");
    ctx.addIssue({
      code: "custom",
      message: `not in the typed catalog: ${unknown.join(", ")}; expected a comma list of: ${known}`,
    });
    return z.NEVER;
  }
  if (names.length === 0) {
    ctx.addIssue({ code: "custom", message: "expected at least one property name" });
    return z.NEVER;
  }
  return [...new Set(names.map((n) => companyFieldNamed(n) as CompanyFieldName))];
});

/** The CRM server's own variables (besides the common GTM_* ones). */
export const crmVars = {
  HUBSPOT_ACCESS_TOKEN: secretVar({
    description:
      "HubSpot service key (or legacy private app token), sent as Bearer; the sandbox emulator accepts any value",
    requiredIn: ["sandbox", "staging", "production"],
  }),
  HUBSPOT_BASE_URL: vendorUrlVar({
    description: "HubSpot API base URL",
    sandboxDefault: SANDBOX_BASE_URL,
    realDefault: DEFAULT_BASE_URL,
  }),
  HUBSPOT_API_VERSION: defineVar<HubSpotApiVersion>({
    description: `HubSpot's date-based API version every request uses: ${HUBSPOT_API_VERSIONS.join(" or ")}`,
    schema: z
      .string()
      .trim()
      .refine(isHubSpotApiVersion, {
        error: `expected a supported HubSpot API version: ${HUBSPOT_API_VERSIONS.join(", ")}`,
      })
      .transform((v) => v as HubSpotApiVersion),
    default: DEFAULT_HUBSPOT_API_VERSION,
  }),
  HUBSPOT_PORTAL_ID: defineVar<string>({
    description:
      "The HubSpot portal (hub) id the token must belong to; checked against /account-info/{version}/details at start when set",
    schema: z
      .string()
      .trim()
      .regex(/^\d{1,15}$/, { error: "expected the portal id (digits)" }),
    requiredIn: ["staging", "production"],
  }),
  CRM_UPDATABLE_PROPERTIES: defineVar<CompanyFieldName[]>({
    description:
      "Comma list of company fields update_account_fields may set (field or HubSpot property names)",
    schema: updatableList,
    default: DEFAULT_UPDATABLE.join(","),
  }),
};
