import { ConfigError, loadConfig } from "@gtm-mcp/tool-kit/config";
import { describe, expect, it } from "vitest";
import { crmVars } from "../src/config.js";
import { DEFAULT_UPDATABLE } from "../src/model/company-fields.js";

const load = (env: Record<string, string>) =>
  loadConfig(crmVars, { HUBSPOT_ACCESS_TOKEN: "pat-test-token", ...env });
const failure = (env: Record<string, string>) => {
  try {
    load(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
};

describe("CRM configuration", () => {
  it("defaults to the emulator and a descriptive allowlist in the sandbox", () => {
    const config = load({});
    expect(config.vars.HUBSPOT_BASE_URL).toBe("http://127.0.0.1:4010");
    expect(config.vars.HUBSPOT_PORTAL_ID).toBeUndefined();
    expect(config.vars.CRM_UPDATABLE_PROPERTIES).toEqual(DEFAULT_UPDATABLE);
    expect(DEFAULT_UPDATABLE).not.toContain("name");
    expect(config.vars.HUBSPOT_ACCESS_TOKEN?.get()).toBe("pat-test-token");
  });

  it("requires the token everywhere and the portal id in staging and production", () => {
    expect(() => loadConfig(crmVars, {})).toThrow(/HUBSPOT_ACCESS_TOKEN/);
    expect(failure({ GTM_ENV: "staging" }).variable).toBe("HUBSPOT_PORTAL_ID");
    expect(failure({ GTM_ENV: "staging", HUBSPOT_PORTAL_ID: "12ab" }).message).toMatch(
      /HUBSPOT_PORTAL_ID: expected the portal id/,
    );
    expect(load({ GTM_ENV: "staging", HUBSPOT_PORTAL_ID: "123456" }).vars.HUBSPOT_PORTAL_ID).toBe("123456");
  });

  it("defaults to the real API outside the sandbox, and the sandbox refuses it", () => {
    const staging = load({ GTM_ENV: "staging", HUBSPOT_PORTAL_ID: "123456" });
    expect(staging.vars.HUBSPOT_BASE_URL).toBe("https://api.hubapi.com");
    const refused = failure({ HUBSPOT_BASE_URL: "https://api.hubapi.com" });
    expect(refused.variable).toBe("HUBSPOT_BASE_URL");
    expect(refused.message).toMatch(/api\.hubapi\.com is not a loopback address/);
  });

  it("pins HUBSPOT_API_VERSION: 2026-09 by default, 2026-03 accepted, anything else refused naming the variable", () => {
    expect(load({}).vars.HUBSPOT_API_VERSION).toBe("2026-09");
    expect(load({ HUBSPOT_API_VERSION: "2026-03" }).vars.HUBSPOT_API_VERSION).toBe("2026-03");
    for (const version of ["v3", "2026-06", "latest"]) {
      const refused = failure({ HUBSPOT_API_VERSION: version });
      expect(refused.variable, version).toBe("HUBSPOT_API_VERSION");
      expect(refused.message).toContain("expected a supported HubSpot API version: 2026-09, 2026-03");
    }
  });

  it("accepts only an http(s) base URL", () => {
    expect(failure({ HUBSPOT_BASE_URL: "ftp://hubspot.example" }).variable).toBe("HUBSPOT_BASE_URL");
    expect(failure({ HUBSPOT_BASE_URL: "not a url" }).variable).toBe("HUBSPOT_BASE_URL");
    expect(load({ HUBSPOT_BASE_URL: "http://127.0.0.1:4010/" }).vars.HUBSPOT_BASE_URL).toBe(
      "http://127.0.0.1:4010",
    );
  });

  it("reads CRM_UPDATABLE_PROPERTIES by field or HubSpot name, and names what is not in the catalog", () => {
    expect(
      load({ CRM_UPDATABLE_PROPERTIES: "industry, lifecyclestage,employee_count,numberofemployees" }).vars
        .CRM_UPDATABLE_PROPERTIES,
    ).toEqual(["industry", "lifecycle_stage", "employee_count"]);
    const unknown = failure({ CRM_UPDATABLE_PROPERTIES: "industry,hs_secret_score,favorite_food" });
    expect(unknown.variable).toBe("CRM_UPDATABLE_PROPERTIES");
    expect(unknown.message).toContain("hs_secret_score, favorite_food");
    expect(failure({ CRM_UPDATABLE_PROPERTIES: " , " }).variable).toBe("CRM_UPDATABLE_PROPERTIES");
  });
});
