import { z } from "zod";

/** Types a catalog parameter can have (see the README's catalog format). */
export const PARAM_TYPES = ["string", "integer", "number", "boolean", "date", "quarter"] as const;
/** Types a catalog output column can have. */
export const COLUMN_TYPES = [
  "string",
  "integer",
  "number",
  "boolean",
  "date",
  "time",
  "timestamp",
  "json",
  "binary",
] as const;

const snakeName = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,63}$/, { error: "expected a snake_case name (a-z, 0-9, _; at most 64)" });

/** One parameter of a catalog query. */
export const paramSpecSchema = z
  .object({
    type: z.enum(PARAM_TYPES),
    description: z.string().min(1),
    required: z.boolean().optional(),
    default: z.union([z.string(), z.number(), z.boolean()]).optional(),
    enum: z.array(z.string().min(1)).min(1).optional(),
    pattern: z.string().optional(),
    max_length: z.number().int().min(1).max(10_000).optional(),
    minimum: z.number().optional(),
    maximum: z.number().optional(),
  })
  .strict();

/** One output column of a catalog query. */
export const columnSpecSchema = z
  .object({ name: snakeName, type: z.enum(COLUMN_TYPES), description: z.string().min(1) })
  .strict();

/** One catalog entry, as written in the YAML file. */
export const entrySchema = z
  .object({
    name: snakeName,
    title: z.string().min(1).max(100),
    description: z.string().min(20, { error: "say when to call it and what it returns (20+ characters)" }),
    parameters: z.record(snakeName, paramSpecSchema).default({}),
    sql: z.string().min(1),
    columns: z.array(columnSpecSchema).min(1),
    row_limit: z.number().int().min(1).max(10_000),
    timeout_seconds: z.number().int().min(1).max(3_600),
  })
  .strict();

/** The catalog file: a format version and its entries. */
export const catalogFileSchema = z
  .object({ version: z.literal(1, { error: "expected version: 1" }), queries: z.array(z.unknown()).min(1) })
  .strict();

export type ParamSpec = z.output<typeof paramSpecSchema>;
export type ColumnSpec = z.output<typeof columnSpecSchema>;
export type CatalogEntrySource = z.output<typeof entrySchema>;
export type ColumnType = (typeof COLUMN_TYPES)[number];
