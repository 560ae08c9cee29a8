import { z } from "zod";
import type { HubSpotObject } from "../upstream/schemas.js";
import { isoOf, numberOf, textOf } from "./property-values.js";

/** An account (a HubSpot company) as tools return it; unset properties are null. */
export const accountSchema = z
  .object({
    id: z.string().describe("HubSpot company id"),
    name: z.string().nullable().describe("Company name (name)"),
    domain: z.string().nullable().describe("Primary web domain (domain)"),
    industry: z.string().nullable().describe("Industry option value (industry), e.g. COMPUTER_SOFTWARE"),
    lifecycle_stage: z.string().nullable().describe("Lifecycle stage (lifecyclestage), e.g. customer"),
    owner_id: z.string().nullable().describe("HubSpot owner id (hubspot_owner_id)"),
    city: z.string().nullable().describe("City (city)"),
    country: z.string().nullable().describe("Country (country)"),
    employee_count: z.number().nullable().describe("Number of employees (numberofemployees)"),
    annual_revenue: z.number().nullable().describe("Annual revenue (annualrevenue)"),
    created_at: z.string().nullable().describe("When the company was created, ISO 8601 (createdate)"),
    updated_at: z
      .string()
      .nullable()
      .describe("When the company last changed, ISO 8601 (hs_lastmodifieddate)"),
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
