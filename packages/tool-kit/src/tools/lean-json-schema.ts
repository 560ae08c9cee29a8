/** zod's bounds for a plain `.int()`: they say nothing a model needs and cost every listing. */
const SAFE_MIN = Number.MIN_SAFE_INTEGER;
const SAFE_MAX = Number.MAX_SAFE_INTEGER;

/** Formats a schema states by name; a `pattern` beside one of them only repeats it at length. */
const NAMED_FORMATS = new Set(["date-time", "date", "time", "email", "uuid", "uri", "ipv4", "ipv6"]);

/**
 * Drops what a JSON Schema from `z.toJSONSchema` repeats at length without telling a model
 * anything: the safe-integer bounds of `.int()` and zod's regex beside a named `format`
 * (`z.iso.datetime()` alone is ~480 characters). The server still validates with the zod
 * schema, so nothing is loosened. Works in place on plain JSON and returns it.
 */
export function leanJsonSchema<T>(schema: T): T {
  if (Array.isArray(schema)) {
    for (const item of schema) leanJsonSchema(item);
  } else if (schema !== null && typeof schema === "object") {
    const node = schema as Record<string, unknown>;
    if (node.minimum === SAFE_MIN) delete node.minimum;
    if (node.maximum === SAFE_MAX) delete node.maximum;
    if (typeof node.format === "string" && NAMED_FORMATS.has(node.format)) delete node.pattern;
    for (const value of Object.values(node)) leanJsonSchema(value);
  }
  return schema;
}
