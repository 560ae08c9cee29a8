import { describe, expect, it } from "vitest";
import { SIGNALS_BUDGET } from "../../src/model/signals.js";
import { INPUT_ECHO_MAX } from "../../src/tools/get-accounts-signals.js";
import { connectEnrichment, ENRICH } from "../support/connect.js";
import { acmeCompany } from "../support/pdl-fixtures.js";

const KB = 1024;
/** Bytes of a whole tool result as the client receives it (text content and structuredContent). */
const bytesOf = (result: unknown) => Buffer.byteLength(JSON.stringify(result), "utf8");

/**
 * A company whose every text field is far over its budget: what a hostile or broken record
 * can hold. (Past the budget, the size of the input changes nothing but the stated length, so
 * the fields are tens of KB, not megabytes: the suite stays quick on a loaded machine.)
 */
function hugeCompany(char = "x") {
  const big = (n: number) => char.repeat(n);
  return acmeCompany({
    name: big(20 * KB),
    display_name: big(20 * KB),
    industry: big(10 * KB),
    size: big(10 * KB),
    location: { name: big(KB), locality: big(10 * KB), region: big(10 * KB), country: big(10 * KB) },
    linkedin_url: `linkedin.com/company/${big(10 * KB)}`,
    summary: big(40 * KB),
    tags: Array.from({ length: 1000 }, () => big(200)),
  });
}

describe("every result is bounded", () => {
  it("clips each vendor text and the tag list, stating the totals (issue figures: 100 KB name, 25 tags of 20 KB)", async () => {
    const e = await connectEnrichment();
    e.pdl.on("GET", ENRICH).reply({
      status: 200,
      body: acmeCompany({
        display_name: "n".repeat(100 * KB),
        tags: Array.from({ length: 25 }, () => "t".repeat(20 * KB)),
      }),
    });
    const { result, data } = await e.call("get_account_signals", { domain: "acme.com" });
    // Before: 1,200,848 bytes; measured after: 6,418.
    expect(bytesOf(result)).toBeLessThan(8 * KB);
    expect(data.name).toBe(`${"n".repeat(SIGNALS_BUDGET.name)}…(${100 * KB} chars)`);
    expect(data.tags).toHaveLength(25);
    expect(data.tags[0]).toBe(`${"t".repeat(SIGNALS_BUDGET.tag)}…(${20 * KB} chars)`);
    expect(data.tags_total).toBe(25);
  });

  // Measured: 9,934 bytes (ASCII), 25,898 (3-byte characters).
  it("keeps a company with every field huge under 12 KB (ASCII) and 30 KB (3-byte characters)", async () => {
    for (const [char, limit] of [
      ["x", 12 * KB],
      ["€", 30 * KB],
    ] as const) {
      const e = await connectEnrichment();
      e.pdl.on("GET", ENRICH).reply({ status: 200, body: hugeCompany(char) });
      const { result, data } = await e.call("get_account_signals", { domain: "acme.com" });
      expect(bytesOf(result), char).toBeLessThan(limit);
      expect(data.tags).toHaveLength(SIGNALS_BUDGET.tags);
      expect(data.tags_total).toBe(1000);
      expect(data.summary).toMatch(/…\(40960 chars\)$/);
      expect(data.industry).toMatch(/…\(10240 chars\)$/);
      expect(data.headquarters.city).toMatch(/…\(10240 chars\)$/);
      expect(data.size_range).toMatch(/…\(10240 chars\)$/);
      expect(data.linkedin_url.length).toBeLessThan(SIGNALS_BUDGET.linkedin_url + 20);
    }
  });

  it("turns control characters into spaces and never splits a surrogate pair", async () => {
    const e = await connectEnrichment();
    const summary = `${"\u0001".repeat(500)}${"😀".repeat(1000)}`;
    e.pdl
      .on("GET", ENRICH)
      .reply({ status: 200, body: acmeCompany({ summary, industry: "soft\u0000ware\nx" }) });
    const { data } = await e.call("get_account_signals", { domain: "acme.com" });
    expect(data.industry).toBe("soft ware\nx");
    expect(data.summary.startsWith(" ".repeat(500))).toBe(true);
    expect(data.summary).toMatch(/😀…\(2500 chars\)$/);
    expect(/\p{Cs}/u.test(data.summary.replace(/😀/gu, ""))).toBe(false);
  });

  it("bounds a batch: 25 inputs of 2,048 characters are echoed clipped, and 25 huge companies stay under 300 KB", async () => {
    const e = await connectEnrichment();
    // Inputs that are not domains: before, each came back whole (114,782 bytes).
    const junk = Array.from({ length: 25 }, (_, i) => `${i}`.padEnd(2048, "z"));
    const refused = await e.call("get_accounts_signals", { domains: junk });
    expect(refused.data.failed).toBe(25);
    // Measured: 24,396 bytes.
    expect(bytesOf(refused.result)).toBeLessThan(32 * KB);
    expect(refused.data.results[0].input).toBe(`${"0".padEnd(INPUT_ECHO_MAX, "z")}…(2048 chars)`);

    // URLs on 25 real domains, each 2,048 characters long, each answered with a huge record.
    e.pdl.on("GET", ENRICH).reply({ status: 200, body: hugeCompany() }, { persist: true });
    const urls = Array.from({ length: 25 }, (_, i) => `https://c${i}.com/`.padEnd(2048, "p"));
    const found = await e.call("get_accounts_signals", { domains: urls });
    expect(found.data.found).toBe(25);
    expect(found.data.results[3].domain).toBe("c3.com");
    expect(found.data.results[3].input.length).toBeLessThan(INPUT_ECHO_MAX + 20);
    // Measured: 263,396 bytes (25 × the 10 KB above); before, about 25 × 170 KB here (and unbounded).
    expect(bytesOf(found.result)).toBeLessThan(300 * KB);
  });
});
