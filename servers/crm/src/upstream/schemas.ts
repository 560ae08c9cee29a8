import { z } from "zod";

// Zod schemas of what HubSpot returns (vendors.md, HubSpot). Only the fields this server reads
// are declared; every field HubSpot may leave out is optional, and unknown fields are ignored.

/** HubSpot ids are numeric strings; a lenient emulator may send numbers. */
const idText = z.union([z.string().min(1), z.number()]).transform(String);

/** A property value: text or null. Numbers and booleans (lenient emulators) become text. */
const propertyValue = z
  .union([z.string(), z.number(), z.boolean(), z.null()])
  .transform((v) => (v === null ? null : String(v)));

/** `properties` of a CRM object: every value text or null. */
export const propertiesSchema = z.record(z.string(), propertyValue);

/** A CRM object: `{id, properties, createdAt, updatedAt, archived}`. */
export const hubspotObjectSchema = z.object({
  id: idText,
  properties: propertiesSchema.nullish().transform((p) => p ?? {}),
  createdAt: z.string().nullish(),
  updatedAt: z.string().nullish(),
  archived: z.boolean().nullish(),
});

/** `paging.next.after` of lists and searches; absent on the last page. */
const pagingSchema = z
  .object({ next: z.object({ after: idText.nullish() }).nullish() })
  .nullish()
  .transform((p) => p?.next?.after ?? null);

/** `POST /crm/objects/{version}/{type}/search` → `{total, results, paging?}`. */
export const searchPageSchema = z.object({
  total: z.number().nullish(),
  results: z.array(hubspotObjectSchema),
  paging: pagingSchema,
});

/** One associated record: `{toObjectId, associationTypes:[{category, typeId, label?}]}`. */
const associatedSchema = z.object({
  toObjectId: idText,
  associationTypes: z
    .array(
      z.object({
        category: z.string().nullish(),
        typeId: z.number().nullish(),
        label: z.string().nullish(),
      }),
    )
    .nullish(),
});

/** One failed input of a batch answer (207): the HubSpot error body shape, every field optional. */
const batchErrorSchema = z.object({
  status: z.string().nullish(),
  category: z.string().nullish(),
  subCategory: z.unknown().optional(),
  message: z.string().nullish(),
  context: z.unknown().optional(),
  errors: z.array(z.unknown()).nullish(),
});

/**
 * `POST /crm/objects/{version}/contacts/batch/upsert` → 200 `{status, results:[{…object, new}]}`, or
 * 207 with `errors` and `numErrors` for the inputs that failed.
 */
export const batchUpsertSchema = z.object({
  status: z.string().nullish(),
  results: z
    .array(hubspotObjectSchema.extend({ new: z.boolean().nullish() }))
    .nullish()
    .transform((r) => r ?? []),
  errors: z
    .array(batchErrorSchema)
    .nullish()
    .transform((e) => e ?? []),
  numErrors: z.number().nullish(),
});

/**
 * `POST /crm/associations/{version}/{from}/{to}/batch/read` → `{status, results:[{from:{id},
 * to:[…], paging?}], errors?, numErrors?}` (200, or 207 when an input failed, e.g. a record
 * with no associations of that type). Each result pages on its own: `paging.next.after` goes
 * back in that input.
 */
export const associationsBatchSchema = z.object({
  status: z.string().nullish(),
  results: z
    .array(
      z.object({
        from: z.object({ id: idText }),
        to: z
          .array(associatedSchema)
          .nullish()
          .transform((t) => t ?? []),
        paging: pagingSchema,
      }),
    )
    .nullish()
    .transform((r) => r ?? []),
  errors: z
    .array(batchErrorSchema)
    .nullish()
    .transform((e) => e ?? []),
});

/** `GET /account-info/{version}/details` → `{portalId, …}`. */
export const accountDetailsSchema = z.object({ portalId: idText });

/** Any body (or none): for answers whose content this server does not use. */
export const anyBodySchema = z.unknown();

/** A CRM object as parsed. */
export type HubSpotObject = z.output<typeof hubspotObjectSchema>;
/** A search page as parsed (`paging` is the next `after`, or null). */
export type SearchPage = z.output<typeof searchPageSchema>;
/** An associations batch read as parsed (each result's `paging` is its next `after`, or null). */
export type AssociationsBatch = z.output<typeof associationsBatchSchema>;
/** A batch upsert answer as parsed. */
export type BatchUpsertAnswer = z.output<typeof batchUpsertSchema>;
/** One failed input of a batch answer. */
export type BatchInputError = z.output<typeof batchErrorSchema>;
