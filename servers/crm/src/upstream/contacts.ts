import type { CallScope } from "@gtm-mcp/tool-kit/upstream";
import type { HubSpot } from "./client.js";
import { anyBodySchema, type BatchUpsertAnswer, batchUpsertSchema } from "./schemas.js";

/** The fixed contact property set every contact read asks for. */
export const CONTACT_PROPERTIES = [
  "email",
  "firstname",
  "lastname",
  "jobtitle",
  "phone",
  "lifecyclestage",
  "hs_lead_status",
  "createdate",
  "lastmodifieddate",
] as const;

/**
 * `POST /crm/objects/{version}/contacts/batch/upsert` with one input keyed by email
 * (`idProperty: "email"`). An upsert on a unique property: safe to repeat. A 207 (the input
 * failed) parses like a 200; the caller reads `errors`.
 *
 * @throws ToolError as the HubSpot client maps failures.
 */
export async function upsertContactByEmail(
  hubspot: HubSpot,
  email: string,
  properties: Record<string, string>,
  scope: CallScope,
): Promise<BatchUpsertAnswer> {
  const response = await hubspot.request(
    {
      method: "POST",
      path: hubspot.paths.batchUpsert("contacts"),
      body: { inputs: [{ id: email, idProperty: "email", properties }] },
      operation: "contacts.upsert",
      safeToRepeat: true,
      schema: batchUpsertSchema,
    },
    scope,
  );
  return response.body;
}

/**
 * `PUT /crm/objects/{version}/contacts/{contactId}/associations/default/companies/{companyId}`: the
 * default (primary-less) contact→company association. Idempotent: safe to repeat.
 *
 * @throws ToolError NOT_FOUND when either record is missing, or as the client maps failures.
 */
export async function associateContactWithCompany(
  hubspot: HubSpot,
  contactId: string,
  companyId: string,
  scope: CallScope,
): Promise<void> {
  await hubspot.request(
    {
      method: "PUT",
      path: hubspot.paths.associateDefault("contacts", contactId, "companies", companyId),
      operation: "contacts.associate_company",
      safeToRepeat: true,
      schema: anyBodySchema,
    },
    scope,
  );
}

/**
 * `GET /crm/objects/{version}/contacts/{id}` with no properties: whether the contact exists (the
 * get-by-id shape vendors.md gives for companies).
 *
 * @throws ToolError NOT_FOUND when HubSpot has no such contact, or as the client maps failures.
 */
export async function getContactById(hubspot: HubSpot, id: string, scope: CallScope): Promise<void> {
  await hubspot.request(
    {
      method: "GET",
      path: hubspot.paths.object("contacts", id),
      operation: "contacts.get",
      safeToRepeat: true,
      schema: anyBodySchema,
    },
    scope,
  );
}
