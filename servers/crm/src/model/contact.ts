import { z } from "zod";
import type { HubSpotObject } from "../upstream/schemas.js";
import { isoOf, textOf } from "./property-values.js";

/** A contact as tools return it; unset properties are null. */
export const contactSchema = z
  .object({
    id: z.string().describe("HubSpot contact id"),
    email: z.string().nullable().describe("Email address"),
    first_name: z.string().nullable().describe("First name"),
    last_name: z.string().nullable().describe("Last name"),
    job_title: z.string().nullable().describe("Job title"),
    phone: z.string().nullable().describe("Phone number"),
    lifecycle_stage: z.string().nullable().describe("Lifecycle stage, e.g. lead"),
    lead_status: z.string().nullable().describe("Lead status, e.g. NEW"),
    created_at: z.string().nullable().describe("When the contact was created, ISO 8601"),
    updated_at: z.string().nullable().describe("When the contact last changed, ISO 8601"),
  })
  .describe("A HubSpot contact: unset properties are null, never guessed");

/** A contact as tools return it. */
export type Contact = z.output<typeof contactSchema>;

/** A HubSpot contact object as a {@link Contact}; missing properties are null. */
export function toContact(contact: HubSpotObject): Contact {
  const p = contact.properties;
  return {
    id: contact.id,
    email: textOf(p.email),
    first_name: textOf(p.firstname),
    last_name: textOf(p.lastname),
    job_title: textOf(p.jobtitle),
    phone: textOf(p.phone),
    lifecycle_stage: textOf(p.lifecyclestage),
    lead_status: textOf(p.hs_lead_status),
    created_at: isoOf(p.createdate) ?? isoOf(contact.createdAt),
    updated_at: isoOf(p.lastmodifieddate) ?? isoOf(p.hs_lastmodifieddate) ?? isoOf(contact.updatedAt),
  };
}
