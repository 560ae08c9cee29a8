import { describe, expect, it } from "vitest";
import {
  addressKey,
  displayNameProblem,
  normalizeAddress,
  normalizeDomain,
  parseAddress,
} from "../src/model/address.js";
import { accountDomainProblem, isFreeMailDomain, isPublicSuffix } from "../src/model/recipient-rules.js";
import { checkSimpleHtml } from "../src/model/simple-html.js";

describe("addresses: the form sent to, and the key matched on", () => {
  it("normalises case, a trailing dot and an internationalised domain (punycode), keeping plus-tags and dots for sending", () => {
    expect(normalizeAddress("Jane.Roe+News@ACME.com.")).toBe("jane.roe+news@acme.com");
    expect(normalizeAddress("x@Bücher.de")).toBe("x@xn--bcher-kva.de");
    expect(normalizeAddress("x@xn--bcher-kva.de")).toBe("x@xn--bcher-kva.de");
    expect(normalizeDomain("BÜCHER.de.")).toBe("xn--bcher-kva.de");
    for (const text of ["acme%2ecom", "acme.com:25", "acme.com/x", "[::1]", "acme..com", "1.2.3.4"])
      expect(normalizeDomain(text), text).toBeUndefined();
  });

  it.each([
    ["jane@acme.com", "jane@acme.com"],
    ["Jane@ACME.com", "jane@acme.com"],
    ["jane+x@acme.com", "jane@acme.com"],
    ["JANE+promo+2@acme.com.", "jane@acme.com"],
    ["j.ane@acme.com", "j.ane@acme.com"],
    ["j.a.n.e+x@gmail.com", "jane@gmail.com"],
    ["J.ane@googlemail.com", "jane@gmail.com"],
    ["roe@bücher.de", "roe@xn--bcher-kva.de"],
    ["roe+a@XN--BCHER-KVA.DE", "roe@xn--bcher-kva.de"],
  ])("%s is matched as %s", (given, key) => {
    expect(addressKey(normalizeAddress(given)!)).toBe(key);
  });

  it("refuses routing syntax in the local part, saying so", () => {
    expect(parseAddress("x%evil.com@acme.com").problem).toMatch(/routing syntax/);
    expect(parseAddress("evil.com!x@acme.com").problem).toMatch(/routing syntax/);
    expect(parseAddress("x@acme.com").address).toBe("x@acme.com");
  });

  it("refuses display names that look like addresses, read after NFKC (full-width and small at-signs)", () => {
    expect(displayNameProblem("Jane Roe")).toBeUndefined();
    expect(displayNameProblem("Zoë Ünal")).toBeUndefined();
    for (const name of ["x@evil.com", "x\uFF20evil.com", "x\uFE6Bevil.com", "ana\uFF1Cx", "a\uFF0Cb"]) {
      expect(displayNameProblem(name), name).toBeDefined();
    }
    expect(displayNameProblem("x\uFF20evil.com")).toMatch(/look like an address/);
  });
});

describe("account domains", () => {
  it.each([
    "co.uk",
    "com",
    "github.io",
    "myshopify.com",
    "gmail.com",
    "yahoo.co.uk",
    "googlemail.com",
    "proton.me",
  ])("refuses %s", (domain) => {
    expect(accountDomainProblem(domain)).toBeDefined();
  });

  it.each(["acme.com", "acme.co.uk", "eu.acme.com", "acme.myshopify.com", "acme.test"])(
    "accepts %s",
    (domain) => {
      expect(accountDomainProblem(domain)).toBeUndefined();
    },
  );

  it("names why: a public suffix or a free-mail domain", () => {
    expect(accountDomainProblem("co.uk")).toMatch(/co\.uk is a public suffix/);
    expect(accountDomainProblem("gmail.com")).toMatch(/gmail\.com is a free-mail domain/);
    expect(isPublicSuffix("bigbank.co.uk")).toBe(false);
    expect(isFreeMailDomain("mail.gmail.com")).toBe(true);
  });
});

describe("html_body: an allow-list sanitiser, refusing what it would remove", () => {
  it.each([
    ["<svg/onload=…>", "<p>Hi</p><svg/onload=alert(1)>", /<svg>.*onload/],
    ["<img src=x/onerror=…>", "<img src=x/onerror=alert(1)>", /relative URL in src/],
    ['<img src="x"/onerror=…>', '<img src="https://a.test/x.png"/onerror=alert(1)>', /event handler onerror/],
    ["jav&#x61;script:", '<a href="jav&#x61;script:alert(1)">x</a>', /javascript: URL in href/],
    ["javascript&colon;", '<a href="javascript&colon;alert(1)">x</a>', /javascript: URL in href/],
    ["java<TAB>script:", '<a href="java\tscript:alert(1)">x</a>', /javascript: URL in href/],
    ["<script>", "<p>a</p><script>alert(1)</script>", /<script>/],
    ["a style attribute", '<p style="background:url(x)">a</p>', /attribute style on <p>/],
    ["a conditional comment", "<!--[if mso]><p>a</p><![endif]-->", /comments/],
    ["a data: image", '<img src="data:image/svg+xml;base64,AAAA">', /data: URL in src/],
  ])("refuses %s, naming it", (_name, html, named) => {
    const checked = checkSimpleHtml(html);
    expect(checked.html).toBeUndefined();
    expect(checked.problem).toMatch(named);
  });

  it("accepts simple markup as is (re-serialised only)", () => {
    const html =
      '<p>Hi <b>Jane</b>,</p><ul><li>one</li></ul><p><a href="https://acme.test/x?a=1&amp;b=2">link</a> <a href="mailto:rep@seller.test">mail</a></p><img src="https://acme.test/logo.png" alt="logo" /><table><tr><td colspan="2">x</td></tr></table>';
    expect(checkSimpleHtml(html)).toEqual({ html });
    expect(checkSimpleHtml("<p>javascript: is just text here</p>").html).toBeDefined();
  });
});
