import { z } from "zod";
import type { HubSpotObject } from "../upstream/schemas.js";
import { isoOf, numberOf, textOf } from "./property-values.js";

/** An account (a HubSpot company) as tools return it; unset properties are null. */
export const accountSchema = z
  .object({
    id: z.string().describe("HubSpot company id"),
    name: z.string().nullable().describe("Company name"),
    domain: z.string().nullable().describe("Primary web domain, e.g. acme.com"),
    industry: z.string().nullable().describe("Industry option value, e.g. COMPUTER_SOFTWARE"),
    lifecycle_stage: z.string().nullable().describe("Lifecycle stage, e.g. customer"),
    owner_id: z.string().nullable().describe("HubSpot owner id"),
    city: z.string().nullable().describe("City"),
    country: z.string().nullable().describe("Country"),
    employee_count: z.number().nullable().describe("Number of employees"),
    annual_revenue: z.number().nullable().describe("Annual revenue in the portal's currency"),
    created_at: z.string().nullable().describe("When the company was created, ISO 8601"),
    updated_at: z.string().nullable().describe("When the company last changed, ISO 8601"),
  })
  .describe("A HubSpot company: unset properties are null, never guessed");

/** An account as tools return it. */
export type Account = z.output<typeof accountSchema>;

/** A HubSpot company object as an {@link Account}; missing properties are null. */
export function toAccount(company: HubSpotObject): Account {
  const p = company.properties;
  return {
    id: company.id,
    name: textOf(p.name),
    domain: textOf(p.domain),
    industry: textOf(p.industry),
    lifecycle_stage: textOf(p.lifecyclestage),
    owner_id: textOf(p.hubspot_owner_id),
    city: textOf(p.city),
    country: textOf(p.country),
    employee_count: numberOf(p.numberofemployees),
    annual_revenue: numberOf(p.annualrevenue),
    created_at: isoOf(p.createdate) ?? isoOf(company.createdAt),
    updated_at: isoOf(p.hs_lastmodifieddate) ?? isoOf(company.updatedAt),
  };
}
