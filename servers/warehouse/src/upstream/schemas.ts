import { z } from "zod";

// What the Snowflake SQL API v2 returns (Snowflake's published SQL API description, sqlapi.yaml).
// Loose objects: Snowflake adds fields over time, and only the ones read here matter.

/** One column of a result set. Type names arrive in either case (`FIXED`, `fixed`). */
export const rowTypeSchema = z.looseObject({
  name: z.string(),
  type: z.string(),
  nullable: z.boolean().optional(),
  scale: z.number().int().nullable().optional(),
  precision: z.number().int().nullable().optional(),
});

/** Result-set metadata: columns, row count, partitions. */
export const resultMetaSchema = z.looseObject({
  numRows: z.number().int().min(0),
  format: z.string().optional(),
  rowType: z.array(rowTypeSchema),
  partitionInfo: z
    .array(z.looseObject({ rowCount: z.number().int().min(0), uncompressedSize: z.number().optional() }))
    .optional(),
});

const cells = z.array(z.array(z.string().nullable()));

/** A 200 with a result: partition 0 carries the metadata; later partitions may carry only `data`. */
export const resultSetSchema = z.looseObject({
  statementHandle: z.string().optional(),
  code: z.string().optional(),
  message: z.string().optional(),
  resultSetMetaData: resultMetaSchema.optional(),
  data: cells.optional(),
});

/** A 202: the statement is still running (`code` 333334 or 333333). */
export const queryStatusSchema = z.looseObject({
  statementHandle: z.string(),
  code: z.string().optional(),
  message: z.string().optional(),
  statementStatusUrl: z.string().optional(),
});

/** Either answer of a submit or a status request. */
export const statementAnswerSchema = z.union([resultSetSchema, queryStatusSchema]);

/** The answer to a cancel. */
export const cancelStatusSchema = z.looseObject({
  statementHandle: z.string().optional(),
  code: z.string().optional(),
  message: z.string().optional(),
});

/** An error body (422, 408, 400, …). Every field optional: treat what is there. */
export const errorBodySchema = z.looseObject({
  code: z.string().optional(),
  message: z.string().optional(),
  sqlState: z.string().optional(),
  statementHandle: z.string().optional(),
});

export type RowType = z.output<typeof rowTypeSchema>;
export type ResultMeta = z.output<typeof resultMetaSchema>;
export type ResultSet = z.output<typeof resultSetSchema>;
