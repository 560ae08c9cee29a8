import { z } from "zod";
import type { ParamSpec } from "./catalog-schema.js";

/** A Snowflake SQL API binding: a type and the value as text (null for SQL NULL). */
export interface Binding {
  type: "TEXT" | "FIXED" | "REAL" | "BOOLEAN";
  value: string | null;
}

const QUARTER = /^(\d{4})-Q([1-4])$/;
const DEFAULT_MAX_LENGTH = 1_000;

/**
 * The zod schema of one parameter: type, bounds, pattern, enum, default, optional. A string
 * parameter is bounded (1,000 characters unless the entry says otherwise).
 */
export function paramSchema(spec: ParamSpec): z.ZodType {
  let schema: z.ZodType;
  switch (spec.type) {
    case "string": {
      if (spec.enum) {
        schema = z.enum(spec.enum as [string, ...string[]]);
        break;
      }
      let s = z
        .string()
        .min(1)
        .max(spec.max_length ?? DEFAULT_MAX_LENGTH);
      if (spec.pattern !== undefined)
        s = s.regex(new RegExp(spec.pattern), { error: `must match ${spec.pattern}` });
      schema = s;
      break;
    }
    case "integer":
    case "number": {
      let s = spec.type === "integer" ? z.number().int() : z.number();
      if (spec.minimum !== undefined) s = s.min(spec.minimum);
      if (spec.maximum !== undefined) s = s.max(spec.maximum);
      schema = s;
      break;
    }
    case "boolean":
      schema = z.boolean();
      break;
    case "date":
      schema = z.iso.date();
      break;
    case "quarter":
      schema = z.string().regex(QUARTER, { error: "expected a quarter as YYYY-QN (2026-Q4)" });
      break;
  }
  schema = schema.describe(spec.description);
  if (spec.default !== undefined) return schema.default(spec.default as never);
  return isRequired(spec) ? schema : schema.optional();
}

/** A parameter is required unless it says `required: false` or has a default. */
export function isRequired(spec: ParamSpec): boolean {
  return spec.default === undefined && spec.required !== false;
}

/**
 * The binding of one parameter value. Values are always bindings, never part of the
 * statement text. A quarter binds as its first day (`2026-Q4` → `2026-10-01`), so the SQL
 * compares it with `DATE_TRUNC('quarter', d) = CAST(:quarter AS DATE)`.
 */
export function bindingOf(spec: ParamSpec, value: unknown): Binding {
  if (value === undefined || value === null) return { type: "TEXT", value: null };
  switch (spec.type) {
    case "integer":
      return { type: "FIXED", value: String(value) };
    case "number":
      return { type: "REAL", value: String(value) };
    case "boolean":
      return { type: "BOOLEAN", value: value ? "true" : "false" };
    case "quarter": {
      const [, year, q] = QUARTER.exec(String(value)) ?? [];
      const month = (Number(q) - 1) * 3 + 1;
      return { type: "TEXT", value: `${year}-${String(month).padStart(2, "0")}-01` };
    }
    default:
      return { type: "TEXT", value: String(value) };
  }
}
