import { defineVar, secretVar } from "@gtm-mcp/tool-kit/config";
import { z } from "zod";
import {
  COMPANY_FIELD_NAMES,
  COMPANY_FIELDS,
  type CompanyFieldName,
  companyFieldNamed,
  DEFAULT_UPDATABLE,
} from "./model/company-fields.js";

/** HubSpot's public API. */
export const DEFAULT_BASE_URL = "https://api.hubapi.com";

const httpUrl = z
  .string()
  .trim()
  .pipe(z.url({ protocol: /^https?$/, error: "expected an http(s) URL such as https://api.hubapi.com" }))
  .transform((url) => url.replace(/\/+$/, ""));

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
    description: "HubSpot private app access token (Bearer); the sandbox emulator accepts any value",
    requiredIn: ["sandbox", "staging", "production"],
  }),
  HUBSPOT_BASE_URL: defineVar<string>({
    description: "HubSpot API base URL (the sandbox sets it to its emulator)",
    schema: httpUrl,
    default: DEFAULT_BASE_URL,
  }),
  HUBSPOT_PORTAL_ID: defineVar<string>({
    description:
      "The HubSpot portal (hub) id the token must belong to; checked against /account-info/v3/details at start when set",
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
