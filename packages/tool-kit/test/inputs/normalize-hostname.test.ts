import { describe, expect, it } from "vitest";
import { z } from "zod";
import { hostnameInput, normalizeHostname, normalizeRegistrableDomain } from "../../src/inputs/index.js";

describe("normalizeHostname", () => {
  it.each([
    ["acme.com", "acme.com"],
    ["  WWW.Acme.COM. ", "www.acme.com"],
    ["https://shop.acme.co.uk:8443/a?b#c", "shop.acme.co.uk"],
    // IDN → punycode (one form for the cache key and the vendor request).
    ["bücher.de", "xn--bcher-kva.de"],
    ["https://www.Bücher.de/x", "www.xn--bcher-kva.de"],
    ["xn--bcher-kva.de", "xn--bcher-kva.de"],
    ["домен.рф", "xn--d1acufc.xn--p1ai"],
    // NFKC and IDNA mapping: full-width letters and dots, the ideographic full stop.
    ["ＡＣＭＥ.com", "acme.com"],
    ["ａｃｍｅ．ｃｏｍ", "acme.com"],
    ["acme。com", "acme.com"],
    // A composed and a decomposed ü are one domain.
    ["bu\u0308cher.de", "xn--bcher-kva.de"],
  ])("%j → %s", (text, hostname) => {
    expect(normalizeHostname(text)).toEqual({ ok: true, hostname });
  });

  it.each([
    ["zero-width space", "ac\u200bme.com"],
    ["zero-width joiner", "ac\u200dme.com"],
    ["zero-width non-joiner", "ac\u200cme.com"],
    ["byte-order mark", "ac\ufeffme.com"],
    ["word joiner", "ac\u2060me.com"],
  ])("refuses a %s (invisible format character)", (_, text) => {
    const read = normalizeHostname(text);
    expect(read.ok).toBe(false);
    expect(read.ok ? "" : read.message).toMatch(
      /invisible, bidirectional-control or control character \(U\+/,
    );
  });

  it.each([
    ["right-to-left override", "\u202eacme.com", "U+202E"],
    ["left-to-right embedding", "acme\u202a.com", "U+202A"],
    ["right-to-left isolate", "\u2067acme.com", "U+2067"],
    ["right-to-left mark", "acme.com\u200f", "U+200F"],
    ["arabic letter mark", "ac\u061cme.com", "U+061C"],
  ])("refuses a %s (bidirectional control)", (_, text, codePoint) => {
    const read = normalizeHostname(text);
    expect(read).toEqual({ ok: false, message: expect.stringContaining(codePoint) });
  });

  it("refuses a soft hyphen (U+00AD), which IDNA would silently drop", () => {
    expect(normalizeHostname("ac\u00adme.com")).toEqual({
      ok: false,
      message: expect.stringContaining("U+00AD"),
    });
  });

  it.each([
    ["a lone high surrogate", "ac\ud800me.com"],
    ["a lone low surrogate", "acme.com\udc00"],
  ])("refuses %s", (_, text) => {
    expect(normalizeHostname(text)).toEqual({ ok: false, message: expect.stringMatching(/lone surrogate/) });
  });

  it.each([
    ["a control character", "ac\u0007me.com"],
    ["a NUL", "acme.com\u0000"],
    ["a line separator", "acme.com\u2028x"],
    ["a private-use character", "ac\ue000me.com"],
    ["an unassigned code point", "ac\u0378me.com"],
  ])("refuses %s", (_, text) => {
    expect(normalizeHostname(text).ok).toBe(false);
  });

  it.each([
    "",
    "   ",
    "ac me.com",
    "ac\u3000me.com",
    "ada@acme.com",
    "http://user:pw@acme.com",
    "ftp://acme.com",
    "javascript://acme.com",
    "10.1.2.3",
    "0x0a.1",
    "http://[::1]/",
    "a..b.com",
    "-acme.com",
    "acme-.com",
    "ac_me.com",
    "*.acme.com",
    "xn--zz.com",
    "xn--.com",
    "xn--acme-.com",
    `${"a".repeat(64)}.com`,
    `${"abcdefghi.".repeat(26)}com`,
    "a".repeat(3000),
  ])("refuses %j", (text) => {
    expect(normalizeHostname(text).ok).toBe(false);
  });
});

describe("normalizeRegistrableDomain", () => {
  it.each([
    ["https://www.Bücher.de/x", "xn--bcher-kva.de"],
    ["shop.acme.co.uk", "acme.co.uk"],
    ["ＡＣＭＥ.com", "acme.com"],
    ["acme.myshopify.com", "acme.myshopify.com"],
  ])("%j → %s", (text, domain) => {
    expect(normalizeRegistrableDomain(text)).toEqual({ ok: true, domain });
  });

  it.each(["co.uk", "localhost", "acme", "ac\u200bme.com", "\u202eacme.com"])("refuses %j", (text) => {
    expect(normalizeRegistrableDomain(text).ok).toBe(false);
  });
});

describe("hostnameInput", () => {
  it("parses to the normalised form, and refuses hidden characters with a zod issue", () => {
    const host = hostnameInput("Host");
    const domain = hostnameInput("Domain", { registrable: true });
    expect(host.parse("WWW.Bücher.de")).toBe("www.xn--bcher-kva.de");
    expect(domain.parse("WWW.Bücher.de")).toBe("xn--bcher-kva.de");
    const refused = domain.safeParse("ac\u200bme.com");
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]?.message).toMatch(/U\+200B/);
  });

  it("is listed as a length-bounded string", () => {
    const json = z.toJSONSchema(z.object({ x: hostnameInput("Host") }), { io: "input" }) as unknown as {
      properties: { x: Record<string, unknown> };
    };
    expect(json.properties.x).toMatchObject({ type: "string", maxLength: 2048, description: "Host" });
  });
});
