import { z } from "zod";
import type { ColumnSpec } from "./catalog-schema.js";

/** A FIXED value beyond ±2^53 comes back as its decimal text, so no digit is lost. */
const decimalText = z.string().regex(/^-?\d+(\.\d+)?$/);

/** The zod schema of one output column (every column may be NULL). */
export function columnSchema(column: ColumnSpec): z.ZodType {
  let schema: z.ZodType;
  switch (column.type) {
    case "integer":
    case "number":
      schema = z.union([z.number(), decimalText]);
      break;
    case "boolean":
      schema = z.boolean();
      break;
    case "date":
      schema = z.iso.date();
      break;
    case "json":
      return z.unknown().describe(`${column.description} (JSON)`);
    default:
      // string, time, timestamp (ISO 8601, with the offset when the type has one), binary (hex).
      schema = z.string();
  }
  return schema.nullable().describe(column.description);
}
