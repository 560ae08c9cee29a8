import { describe, expect, it } from "vitest";
import { API_KEY, connectEnrichment, ENRICH } from "../support/connect.js";
import { acmeCompany } from "../support/pdl-fixtures.js";

/** Every prefix of `secret` at least `min` characters long that occurs in `text`. */
function prefixesIn(text: string, secret: string, min = 4): string[] {
  const found: string[] = [];
  for (let n = min; n <= secret.length; n++)
    if (text.includes(secret.slice(0, n))) found.push(secret.slice(0, n));
  return found;
}

describe("vendor text with a secret in it", () => {
  it("scrubs the summary before clipping it: a key across the clip boundary leaves no prefix", async () => {
    const e = await connectEnrichment();
    // The key starts 12 characters before the summary's clip point (1,000).
    const summary = `${"x".repeat(988)}${API_KEY} and more text after it`;
    e.pdl.on("GET", ENRICH).reply({ status: 200, body: acmeCompany({ summary }) });
    const { result, data } = await e.call("get_account_signals", { domain: "acme.com" });
    expect(data.summary.startsWith("x".repeat(988))).toBe(true);
    const text = JSON.stringify(result);
    expect(prefixesIn(text, API_KEY)).toEqual([]);
    expect(prefixesIn(e.lines.join("\n"), API_KEY)).toEqual([]);
    // Served from the cache, it is the scrubbed text too.
    const again = await e.call("get_account_signals", { domain: "acme.com" });
    expect(again.data).toMatchObject({ cached: true, summary: data.summary });
  });
});

describe("a PDL error message with a secret in it", () => {
  it("is scrubbed before it is clipped: a key across the message limit leaves no prefix", async () => {
    const e = await connectEnrichment();
    for (const at of [150, 190, 195, 280, 295]) {
      e.pdl.on("GET", ENRICH).reply({
        status: 400,
        body: {
          status: 400,
          error: { type: "invalid_request_error", message: `${"y".repeat(at)}${API_KEY} tail` },
        },
      });
    }
    for (const domain of ["a.com", "b.com", "c.com", "d.com", "e.com"]) {
      const { result, error } = await e.call("get_account_signals", { domain });
      expect(error).toMatchObject({ code: "UPSTREAM_REJECTED" });
      expect(prefixesIn(JSON.stringify(result), API_KEY), domain).toEqual([]);
    }
    expect(prefixesIn(e.lines.join("\n"), API_KEY)).toEqual([]);
  });
});
