import { hubspotErrorBody, hubspotObject } from "../fixtures/hubspot.js";
import type { EmulatorReply, EmulatorRequest } from "../http/types.js";
import type { HubSpotStore } from "./hubspot-store.js";
import type { PropertyValidationError } from "./validation-rules.js";

/** HubSpot's limit on `hs_note_body` (vendors.md). */
export const NOTE_BODY_LIMIT = 65_536;
/** note→company and note→contact (HUBSPOT_DEFINED). */
const NOTE_TO_COMPANY = 190;
const NOTE_TO_CONTACT = 202;

/** Company properties that exist in the emulated portal (others are PROPERTY_DOESNT_EXIST). */
export const COMPANY_PROPERTIES = new Set([
  "name",
  "domain",
  "website",
  "industry",
  "lifecyclestage",
  "hubspot_owner_id",
  "type",
  "phone",
  "city",
  "state",
  "zip",
  "country",
  "numberofemployees",
  "annualrevenue",
  "description",
  "createdate",
  "hs_lastmodifieddate",
  "hs_object_id",
]);
const READ_ONLY = new Set(["createdate", "hs_lastmodifieddate", "hs_object_id", "lastmodifieddate"]);
/** Contact properties that exist in the emulated portal. */
export const CONTACT_PROPERTIES = new Set([
  "email",
  "firstname",
  "lastname",
  "jobtitle",
  "phone",
  "lifecyclestage",
  "hs_lead_status",
  "company",
  "website",
  "city",
  "country",
  "createdate",
  "lastmodifieddate",
  "hs_object_id",
]);
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

type Clock = () => string;

/** The account's validation-rule refusals of a write of `properties` to an object type (none when no rule applies). */
export type RuleCheck = (
  objectType: string,
  properties: Record<string, unknown>,
) => PropertyValidationError[];

const noRules: RuleCheck = () => [];

/** Property errors HubSpot embeds in its message, one per bad property. */
function propertyErrors(properties: Record<string, unknown>, known: Set<string>): PropertyValidationError[] {
  return Object.keys(properties).flatMap((name): PropertyValidationError[] =>
    !known.has(name)
      ? [
          {
            isValid: false,
            message: `Property "${name}" does not exist`,
            error: "PROPERTY_DOESNT_EXIST",
            name,
          },
        ]
      : READ_ONLY.has(name)
        ? [
            {
              isValid: false,
              message: `"${name}" is a read only property; its value cannot be set.`,
              error: "READ_ONLY_VALUE",
              name,
            },
          ]
        : [],
  );
}

function notValid(errors: unknown[], correlationId: string): EmulatorReply {
  return {
    status: 400,
    body: hubspotErrorBody(
      "VALIDATION_ERROR",
      `Property values were not valid: ${JSON.stringify(errors)}`,
      correlationId,
    ),
  };
}

/** `PATCH /crm/objects/{version}/companies/{id}` with `{properties}`. */
export function updateCompany(
  store: HubSpotStore,
  request: EmulatorRequest,
  correlationId: string,
  now: Clock,
  rules: RuleCheck = noRules,
): EmulatorReply {
  const company = store.companies.get(request.params.id!);
  if (!company) return notFound(correlationId, request.params.id!);
  const properties = ((request.body as { properties?: Record<string, string> })?.properties ?? {}) as Record<
    string,
    string
  >;
  const errors = [...propertyErrors(properties, COMPANY_PROPERTIES), ...rules("companies", properties)];
  if (errors.length > 0) return notValid(errors, correlationId);
  const at = now();
  Object.assign(company.properties, properties, { hs_lastmodifieddate: at });
  company.updatedAt = at;
  store.companyUpdates.push({ id: company.id, properties, at });
  return {
    status: 200,
    body: hubspotObject(
      company.id,
      { ...properties, hs_object_id: company.id, hs_lastmodifieddate: at },
      company,
    ),
  };
}

/** `POST /crm/objects/{version}/contacts/batch/upsert`: 200 when every input was applied, 207 with `errors` otherwise. */
export function upsertContacts(
  store: HubSpotStore,
  request: EmulatorRequest,
  correlationId: string,
  now: Clock,
  rules: RuleCheck = noRules,
): EmulatorReply {
  const inputs = (
    request.body as {
      inputs?: Array<{ id?: string; idProperty?: string; properties?: Record<string, string> }>;
    }
  )?.inputs;
  if (!Array.isArray(inputs) || inputs.length === 0 || inputs.length > 100) {
    return {
      status: 400,
      body: hubspotErrorBody("VALIDATION_ERROR", "inputs must hold 1 to 100 objects", correlationId),
    };
  }
  const startedAt = now();
  const results: unknown[] = [];
  const errors: unknown[] = [];
  for (const input of inputs) {
    const email = String(input.id ?? "")
      .trim()
      .toLowerCase();
    const properties = input.properties ?? {};
    const bad = [...propertyErrors(properties, CONTACT_PROPERTIES), ...rules("contacts", properties)];
    if (input.idProperty !== "email" || !EMAIL.test(email)) {
      bad.push({
        isValid: false,
        message: `Email address ${input.id} is invalid`,
        error: "INVALID_EMAIL",
        name: "email",
      });
    }
    if (bad.length > 0) {
      errors.push({
        status: "error",
        category: "VALIDATION_ERROR",
        message: `Property values were not valid: ${JSON.stringify(bad)}`,
        context: { propertyName: bad.map((b) => b.name), id: [String(input.id)] },
        errors: [],
        links: {},
      });
      continue;
    }
    const at = now();
    let id = store.contactByEmail.get(email);
    const created = id === undefined;
    if (id === undefined) {
      id = store.newContactId();
      store.contactByEmail.set(email, id);
      store.contacts.set(id, {
        id,
        properties: { email, createdate: at, hs_object_id: id, lifecyclestage: "lead" },
        createdAt: at,
        updatedAt: at,
      });
    }
    const contact = store.contacts.get(id)!;
    Object.assign(contact.properties, properties, { lastmodifieddate: at });
    contact.updatedAt = at;
    store.upserts.push({ email, id, created, at });
    results.push({
      ...hubspotObject(
        id,
        { email, ...properties, hs_object_id: id, lastmodifieddate: at, createdate: contact.createdAt },
        contact,
      ),
      new: created,
    });
  }
  const body = { status: "COMPLETE", results, startedAt, completedAt: now() };
  return errors.length > 0
    ? { status: 207, body: { ...body, numErrors: errors.length, errors } }
    : { status: 200, body };
}

/** `POST /crm/objects/{version}/notes` with properties and HUBSPOT_DEFINED associations → 201. Not idempotent. */
export function createNote(
  store: HubSpotStore,
  request: EmulatorRequest,
  correlationId: string,
  now: Clock,
  rules: RuleCheck = noRules,
): EmulatorReply {
  const body = (request.body ?? {}) as {
    properties?: Record<string, string>;
    associations?: Array<{
      to?: { id?: string };
      types?: Array<{ associationCategory?: string; associationTypeId?: number }>;
    }>;
  };
  const properties = body.properties ?? {};
  const invalid = (message: string) => ({
    status: 400,
    body: hubspotErrorBody("VALIDATION_ERROR", message, correlationId),
  });
  if (!properties.hs_timestamp || Number.isNaN(Date.parse(properties.hs_timestamp))) {
    return invalid(
      'Property values were not valid: [{"isValid":false,"message":"hs_timestamp is required","error":"REQUIRED_FIELD","name":"hs_timestamp"}]',
    );
  }
  if ((properties.hs_note_body ?? "").length > NOTE_BODY_LIMIT) {
    return invalid(
      `Property values were not valid: [{"isValid":false,"message":"hs_note_body is longer than ${NOTE_BODY_LIMIT} characters","error":"INVALID_LENGTH","name":"hs_note_body"}]`,
    );
  }
  const refused = rules("notes", properties);
  if (refused.length > 0) return notValid(refused, correlationId);
  const companyIds: string[] = [];
  const contactIds: string[] = [];
  for (const association of body.associations ?? []) {
    const id = String(association.to?.id ?? "");
    for (const type of association.types ?? []) {
      if (type.associationTypeId === NOTE_TO_COMPANY && store.companies.has(id)) companyIds.push(id);
      else if (type.associationTypeId === NOTE_TO_CONTACT && store.contacts.has(id)) contactIds.push(id);
      else
        return invalid(
          `One or more associations are invalid: no object ${id} for association type ${type.associationTypeId}`,
        );
    }
  }
  const note = store.addNote(
    {
      hs_note_body: properties.hs_note_body ?? "",
      hs_timestamp: new Date(properties.hs_timestamp).toISOString(),
    },
    companyIds,
    contactIds,
    now(),
  );
  return { status: 201, body: hubspotObject(note.id, note.properties, note) };
}

/** `PUT /crm/objects/{version}/{from}/{id}/associations/default/{to}/{toId}`: the default association, idempotent. */
export function associateDefault(
  store: HubSpotStore,
  request: EmulatorRequest,
  correlationId: string,
  now: Clock,
): EmulatorReply {
  const { fromType = "", id = "", toType = "", toId = "" } = request.params;
  const contactFirst = fromType === "contacts" && toType === "companies";
  const companyFirst = fromType === "companies" && toType === "contacts";
  if (!contactFirst && !companyFirst) {
    return {
      status: 400,
      body: hubspotErrorBody(
        "VALIDATION_ERROR",
        `Unsupported association ${fromType} → ${toType}`,
        correlationId,
      ),
    };
  }
  const contactId = contactFirst ? id : toId;
  const companyId = contactFirst ? toId : id;
  if (!store.contacts.has(contactId)) return notFound(correlationId, contactId);
  if (!store.companies.has(companyId)) return notFound(correlationId, companyId);
  store.associate(contactId, companyId);
  const at = now();
  store.associationWrites.push({ from: `${fromType}/${id}`, to: `${toType}/${toId}`, at });
  return {
    status: 200,
    body: {
      status: "COMPLETE",
      results: [
        {
          from: { id },
          to: { id: toId },
          associationSpec: {
            associationCategory: "HUBSPOT_DEFINED",
            associationTypeId: contactFirst ? 279 : 280,
          },
        },
      ],
      startedAt: at,
      completedAt: at,
    },
  };
}

/** HubSpot's 404 for a missing object. */
export function notFound(correlationId: string, id: string): EmulatorReply {
  return {
    status: 404,
    body: hubspotErrorBody(
      "OBJECT_NOT_FOUND",
      `Object not found.  objectId are usually numeric. (${id})`,
      correlationId,
    ),
  };
}
