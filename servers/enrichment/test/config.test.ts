import { loadConfig } from "@gtm-mcp/tool-kit/config";
import { describe, expect, it } from "vitest";
import { enrichmentVars, PDL_API_URL, PDL_SANDBOX_URL } from "../src/config.js";

const KEY = "pdl-test-key-0123456789abcdef";

describe("enrichment configuration", () => {
  it("defaults to the sandbox emulator and the issue's numbers", () => {
    const { vars } = loadConfig(enrichmentVars, { PDL_API_KEY: KEY });
    expect(vars.PDL_BASE_URL).toBe(PDL_SANDBOX_URL);
    expect(vars.ENRICHMENT_MIN_LIKELIHOOD).toBe(2);
    expect(vars.ENRICHMENT_CACHE_TTL_HOURS).toBe(168);
    expect(vars.ENRICHMENT_NOT_FOUND_TTL_HOURS).toBe(24);
    expect(vars.ENRICHMENT_MAX_CALLS_PER_RUN).toBe(500);
  });

  it("defaults to the real API outside the sandbox", () => {
    const { vars } = loadConfig(enrichmentVars, {
      GTM_ENV: "staging",
      GTM_STATE_URL: "redis://127.0.0.1:6379",
      PDL_API_KEY: KEY,
    });
    expect(vars.PDL_BASE_URL).toBe(PDL_API_URL);
  });

  it("refuses a non-loopback PDL_BASE_URL in the sandbox", () => {
    expect(() =>
      loadConfig(enrichmentVars, { PDL_API_KEY: KEY, PDL_BASE_URL: "https://api.peopledatalabs.com" }),
    ).toThrow(/PDL_BASE_URL/);
  });

  it("refuses a missing key, a likelihood over 10 and a zero TTL, naming the variable", () => {
    expect(() => loadConfig(enrichmentVars, {})).toThrow(/PDL_API_KEY/);
    expect(() => loadConfig(enrichmentVars, { PDL_API_KEY: KEY, ENRICHMENT_MIN_LIKELIHOOD: "11" })).toThrow(
      /ENRICHMENT_MIN_LIKELIHOOD/,
    );
    expect(() => loadConfig(enrichmentVars, { PDL_API_KEY: KEY, ENRICHMENT_CACHE_TTL_HOURS: "0" })).toThrow(
      /ENRICHMENT_CACHE_TTL_HOURS/,
    );
  });
});
