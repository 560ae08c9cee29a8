import { describe, expect, it } from "vitest";
import { z } from "zod";
import { leanJsonSchema } from "../../src/tools/lean-json-schema.js";

const json = (schema: z.ZodType) => leanJsonSchema(z.toJSONSchema(schema, { io: "output" }));

describe("leanJsonSchema", () => {
  it("drops the safe-integer bounds of .int() but keeps real bounds", () => {
    const out = json(z.object({ a: z.number().int(), b: z.number().int().min(1).max(100) })) as {
      properties: Record<string, unknown>;
    };
    expect(out.properties.a).toEqual({ type: "integer" });
    expect(out.properties.b).toEqual({ type: "integer", minimum: 1, maximum: 100 });
  });

  it("drops zod's regex beside a named format, keeps a pattern without one", () => {
    const out = json(
      z.object({
        at: z.array(z.union([z.iso.datetime({ offset: true }), z.iso.date()])),
        mail: z.email(),
        code: z.string().regex(/^[A-Z]{3}$/),
      }),
    ) as { properties: Record<string, { items?: { anyOf: unknown[] } }> };
    expect(out.properties.at?.items?.anyOf).toEqual([
      { type: "string", format: "date-time" },
      { type: "string", format: "date" },
    ]);
    expect(out.properties.mail).toEqual({ type: "string", format: "email" });
    expect(out.properties.code).toEqual({ type: "string", pattern: "^[A-Z]{3}$" });
  });
});
