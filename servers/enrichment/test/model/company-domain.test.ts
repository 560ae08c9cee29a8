import { describe, expect, it } from "vitest";
import { companyDomain } from "../../src/model/company-domain.js";

const ACCEPTED: Array<[string, string]> = [
  ["acme.com", "acme.com"],
  ["https://www.Acme.com/x", "acme.com"],
  ["http://acme.com", "acme.com"],
  ["  ACME.COM  ", "acme.com"],
  ["www.acme.com", "acme.com"],
  ["https://shop.eu.acme.com:8443/path?q=1#frag", "acme.com"],
  ["acme.com/pricing", "acme.com"],
  ["shop.acme.co.uk", "acme.co.uk"],
  ["https://www.acme.com.au", "acme.com.au"],
  ["acme.myshopify.com", "acme.myshopify.com"],
  ["xn--bcher-kva.de", "xn--bcher-kva.de"],
  // One form for every spelling: IDN → punycode, NFKC (full-width letters and dot).
  ["Bücher.de", "xn--bcher-kva.de"],
  ["https://www.BÜCHER.de/x", "xn--bcher-kva.de"],
  ["ＡＣＭＥ．com", "acme.com"],
];

const REJECTED: Array<[string, RegExp]> = [
  ["", /registrable domain/],
  ["   ", /registrable domain/],
  ["ada@acme.com", /e-mail/],
  ["mailto:ada@acme.com", /e-mail/],
  ["https://user:pw@acme.com/", /e-mail/],
  ["10.0.0.1", /IP address/],
  ["http://192.168.1.20:8080/", /IP address/],
  ["[::1]", /IP address/],
  ["localhost", /localhost/],
  ["http://localhost:3000", /localhost/],
  ["acme", /bare name/],
  ["co.uk", /registrable domain/],
  ["com", /registrable domain/],
  ["acme .com", /registrable domain/],
  // Hidden characters: each would otherwise be a fresh paid lookup under its own cache key.
  ["ac\u200bme.com", /invisible.*U\+200B/],
  ["\u202eacme.com", /bidirectional-control.*U\+202E/],
  ["ac\u00adme.com", /U\+00AD/],
  ["ac\ud800me.com", /lone surrogate/],
  ["ac_me.com", /letters, digits and hyphens/],
];

describe("the company domain a lookup accepts", () => {
  it.each(ACCEPTED)("reads %j as %s", (input, expected) => {
    expect(companyDomain(input)).toEqual({ ok: true, domain: expected });
  });

  it.each(REJECTED)("refuses %j", (input, message) => {
    const result = companyDomain(input);
    expect(result.ok).toBe(false);
    expect(result.ok ? "" : result.message).toMatch(message);
  });
});
