import { describe, expect, it } from "vitest";
import { z } from "zod";
import { dateTimeInput, domainInput, emailInput, registrableDomain } from "../../src/inputs/index.js";

const listed = (schema: z.ZodType) => {
  const json = z.toJSONSchema(z.object({ x: schema }), {
    target: "draft-2020-12",
    io: "input",
  }) as unknown as {
    properties: { x: Record<string, unknown> };
  };
  return json.properties.x;
};

describe("registrableDomain", () => {
  it.each([
    ["https://www.acme.com/x", "acme.com"],
    ["WWW.Acme.COM.", "acme.com"],
    [" acme.com ", "acme.com"],
    ["acme.com/about?x=1", "acme.com"],
    ["https://shop.acme.co.uk:8443/a?b#c", "acme.co.uk"],
    ["http://user:pw@app.acme.io", "acme.io"],
    ["ada@acme.com", "acme.com"],
    ["acme.myshopify.com", "acme.myshopify.com"],
    ["eu.acme.example", "acme.example"],
  ])("%s → %s", (text, domain) => {
    expect(registrableDomain(text)).toBe(domain);
  });

  it.each(["", "acme", "localhost", "127.0.0.1", "http://[::1]/", "not a domain", "a".repeat(3000)])(
    "%j has none",
    (text) => {
      expect(registrableDomain(text)).toBeUndefined();
    },
  );
});

describe("domainInput", () => {
  const schema = domainInput("Company domain");

  it("parses a URL to the registrable domain and refuses what has none", () => {
    expect(schema.parse("https://www.acme.com/x")).toBe("acme.com");
    const failed = schema.safeParse("acme");
    expect(failed.success).toBe(false);
    expect(failed.error?.issues[0]?.message).toBe("expected a domain such as acme.com (or a URL on it)");
  });

  it("lists as a short string schema", () => {
    expect(listed(schema)).toEqual({ type: "string", maxLength: 2048, description: "Company domain" });
  });
});

describe("emailInput", () => {
  const schema = emailInput("Email");

  it("trims and lower-cases, and refuses what is no email", () => {
    expect(schema.parse(" Ada@Acme.COM ")).toBe("ada@acme.com");
    expect(schema.safeParse("ada@").success).toBe(false);
    expect(schema.safeParse("ada acme.com").success).toBe(false);
  });

  it("lists with format email and a length bound, no regex", () => {
    expect(listed(schema)).toEqual({ type: "string", format: "email", maxLength: 254, description: "Email" });
  });
});

describe("dateTimeInput", () => {
  it("accepts RFC 3339 with a zone, parsed to UTC", () => {
    const schema = dateTimeInput("When");
    expect(schema.parse("2026-01-31T09:00:00+02:00")).toBe("2026-01-31T07:00:00.000Z");
    expect(schema.parse("2026-01-31T09:00:00.5Z")).toBe("2026-01-31T09:00:00.500Z");
    for (const bad of [
      "2026-01-31",
      "2026-01-31T09:00:00",
      "2026-02-30T00:00:00Z",
      "yesterday",
      "1738310400000",
    ]) {
      expect(schema.safeParse(bad).success, bad).toBe(false);
    }
  });

  it("accepts a date with allowDate", () => {
    const schema = dateTimeInput("Since", { allowDate: true });
    expect(schema.parse("2026-01-31")).toBe("2026-01-31T00:00:00.000Z");
    expect(schema.safeParse("2026-13-01").success).toBe(false);
    expect(schema.safeParse("2026-02-29").success).toBe(false);
    expect(schema.parse("2028-02-29")).toBe("2028-02-29T00:00:00.000Z");
  });

  it("lists with format date-time and no regex", () => {
    expect(listed(dateTimeInput("When"))).toEqual({
      type: "string",
      format: "date-time",
      maxLength: 40,
      description: "When",
    });
  });
});
