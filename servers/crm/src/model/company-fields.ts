import { z } from "zod";
import { COMPANY_TYPES, LIFECYCLE_STAGES } from "./hubspot-options.js";
import { domainInput } from "./inputs.js";

/** One company property `update_account_fields` can set: its HubSpot name and typed input. */
interface CompanyField {
  property: string;
  input: z.ZodType<string | number>;
}

const text = (max: number, what: string) => z.string().trim().min(1).max(max).describe(what);

/**
 * The typed catalog of company properties `update_account_fields` may set, by the field name
 * tools use (the same names as the Account output). `CRM_UPDATABLE_PROPERTIES` narrows it.
 */
export const COMPANY_FIELDS = {
  name: { property: "name", input: text(255, "Company name (name)") },
  domain: { property: "domain", input: domainInput.describe("Primary web domain (domain), e.g. acme.com") },
  website: {
    property: "website",
    input: z
      .url({ protocol: /^https?$/, error: "expected an http(s) URL" })
      .max(2048)
      .describe("Website URL (website)"),
  },
  industry: {
    property: "industry",
    input: z
      .string()
      .regex(/^[A-Z0-9_]{2,100}$/, {
        error: "expected a HubSpot industry option value such as COMPUTER_SOFTWARE",
      })
      .describe("Industry option value (industry), e.g. COMPUTER_SOFTWARE"),
  },
  lifecycle_stage: {
    property: "lifecyclestage",
    input: z.enum(LIFECYCLE_STAGES).describe("Lifecycle stage (lifecyclestage)"),
  },
  owner_id: {
    property: "hubspot_owner_id",
    input: z
      .string()
      .regex(/^\d{1,20}$/, { error: "expected a HubSpot owner id (digits)" })
      .describe("HubSpot owner id (hubspot_owner_id)"),
  },
  type: { property: "type", input: z.enum(COMPANY_TYPES).describe("Company type (type)") },
  phone: {
    property: "phone",
    input: z
      .string()
      .trim()
      .regex(/^[0-9+()./ x-]{3,40}$/, { error: "expected a phone number such as +1 555 0100" })
      .describe("Phone number (phone)"),
  },
  city: { property: "city", input: text(100, "City (city)") },
  state: { property: "state", input: text(100, "State or region (state)") },
  zip: { property: "zip", input: text(20, "Postal code (zip)") },
  country: { property: "country", input: text(100, "Country (country)") },
  employee_count: {
    property: "numberofemployees",
    input: z.number().int().min(0).max(10_000_000).describe("Number of employees (numberofemployees)"),
  },
  annual_revenue: {
    property: "annualrevenue",
    input: z.number().min(0).max(1e15).describe("Annual revenue in the portal's currency (annualrevenue)"),
  },
  description: { property: "description", input: text(5_000, "Company description (description)") },
} satisfies Record<string, CompanyField>;

/** A field name of the catalog. */
export type CompanyFieldName = keyof typeof COMPANY_FIELDS;

/** Every field name of the catalog. */
export const COMPANY_FIELD_NAMES = Object.keys(COMPANY_FIELDS) as CompanyFieldName[];

/** The default allowlist: descriptive fields; not the identity (name, domain, website) nor the owner. */
export const DEFAULT_UPDATABLE: readonly CompanyFieldName[] = [
  "industry",
  "lifecycle_stage",
  "type",
  "phone",
  "city",
  "state",
  "zip",
  "country",
  "employee_count",
  "annual_revenue",
  "description",
];

/** The catalog field a name denotes: a field name (`lifecycle_stage`) or its HubSpot property (`lifecyclestage`). */
export function companyFieldNamed(name: string): CompanyFieldName | undefined {
  const key = name.trim().toLowerCase();
  if (Object.hasOwn(COMPANY_FIELDS, key)) return key as CompanyFieldName;
  return COMPANY_FIELD_NAMES.find((field) => COMPANY_FIELDS[field].property === key);
}

/** The `fields` input schema of `update_account_fields`: only the allowed fields, at least one. */
export function companyFieldsInput(allowed: readonly CompanyFieldName[]) {
  const shape: Record<string, z.ZodOptional<z.ZodType<string | number>>> = {};
  for (const field of allowed) shape[field] = COMPANY_FIELDS[field].input.optional();
  return z
    .strictObject(shape)
    .refine((fields) => Object.values(fields).some((v) => v !== undefined), {
      error: "give at least one field to update",
    })
    .describe(`Company fields to set; allowed here: ${allowed.join(", ")}`);
}

/** The HubSpot `properties` body of a PATCH for the given fields (every value as text). */
export function toCompanyProperties(
  fields: Record<string, string | number | undefined>,
): Record<string, string> {
  const properties: Record<string, string> = {};
  for (const [field, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    properties[COMPANY_FIELDS[field as CompanyFieldName].property] = String(value);
  }
  return properties;
}
