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
  name: { property: "name", input: text(255, "Company name") },
  domain: {
    property: "domain",
    input: domainInput("Primary web domain, e.g. acme.com (a URL is reduced to its domain)"),
  },
  website: {
    property: "website",
    input: z
      .url({ protocol: /^https?$/, error: "expected an http(s) URL" })
      .max(2048)
      .describe("Website URL"),
  },
  industry: {
    property: "industry",
    input: z
      .string()
      .regex(/^[A-Z0-9_]{2,100}$/, {
        error: "expected a HubSpot industry option value such as COMPUTER_SOFTWARE",
      })
      .describe("Industry option value, e.g. COMPUTER_SOFTWARE"),
  },
  lifecycle_stage: {
    property: "lifecyclestage",
    input: z.enum(LIFECYCLE_STAGES).describe("Lifecycle stage"),
  },
  owner_id: {
    property: "hubspot_owner_id",
    input: z
      .string()
      .regex(/^\d{1,20}$/, { error: "expected a HubSpot owner id (digits)" })
      .describe("HubSpot owner id"),
  },
  type: { property: "type", input: z.enum(COMPANY_TYPES).describe("Company type") },
  phone: {
    property: "phone",
    input: z
      .string()
      .trim()
      .regex(/^[0-9+()./ x-]{3,40}$/, { error: "expected a phone number such as +1 555 0100" })
      .describe("Phone number, e.g. +1 555 0100"),
  },
  city: { property: "city", input: text(100, "City") },
  state: { property: "state", input: text(100, "State or region") },
  zip: { property: "zip", input: text(20, "Postal code") },
  country: { property: "country", input: text(100, "Country") },
  employee_count: {
    property: "numberofemployees",
    input: z.number().int().min(0).max(10_000_000).describe("Number of employees"),
  },
  annual_revenue: {
    property: "annualrevenue",
    input: z.number().min(0).max(1e15).describe("Annual revenue in the portal's currency"),
  },
  description: { property: "description", input: text(5_000, "Company description") },
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
    .strictObject(shape, {
      // Says which names exist but are not allowed here, so the agent does not retry them.
      error: (issue) => (issue.code === "unrecognized_keys" ? notAllowed(issue.keys, allowed) : undefined),
    })
    .refine((fields) => Object.values(fields).some((v) => v !== undefined), {
      error: "give at least one field to update",
      // Only when the names were fine: a refused name is the problem to report, not emptiness.
      when: (payload) => payload.issues.length === 0,
    })
    .describe("Company fields to set (at least one); only those listed here");
}

/** The message for field names outside the allowlist: which exist (not allowed here) and which do not. */
function notAllowed(keys: readonly string[], allowed: readonly CompanyFieldName[]): string {
  const quoted = (names: readonly string[]) => names.map((n) => `"${n}"`).join(", ");
  const known = keys.filter((key) => companyFieldNamed(key) !== undefined);
  const unknown = keys.filter((key) => companyFieldNamed(key) === undefined);
  const parts = [
    ...(known.length > 0
      ? [`${quoted(known)} exist${known.length === 1 ? "s" : ""} but cannot be set here`]
      : []),
    ...(unknown.length > 0
      ? [`${quoted(unknown)} ${unknown.length === 1 ? "is not a field" : "are not fields"}`]
      : []),
  ];
  return `${parts.join("; ")}; allowed: ${allowed.join(", ")}`;
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
