import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig, renderHelp, vendorUrlVar } from "../../src/config/index.js";

const vars = {
  VENDOR_BASE_URL: vendorUrlVar({
    description: "Vendor API base URL",
    sandboxDefault: "http://127.0.0.1:4099",
    realDefault: "https://api.vendor.example",
  }),
  DERIVED_BASE_URL: vendorUrlVar({
    description: "Derived API base URL",
    sandboxDefault: "http://127.0.0.1:4098",
  }),
};

const load = (env: Record<string, string>) => loadConfig(vars, env).vars;
const refusal = (env: Record<string, string>): ConfigError => {
  try {
    load(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
};

describe("vendorUrlVar", () => {
  it("defaults to the emulator in the sandbox and the real API elsewhere", () => {
    expect(load({})).toEqual({
      VENDOR_BASE_URL: "http://127.0.0.1:4099",
      DERIVED_BASE_URL: "http://127.0.0.1:4098",
    });
    for (const env of ["staging", "production"]) {
      const real = load({ GTM_ENV: env, GTM_STATE_URL: "redis://127.0.0.1:6379" });
      expect(real.VENDOR_BASE_URL).toBe("https://api.vendor.example");
      // No real default: the server derives it (Snowflake from the account).
      expect(real.DERIVED_BASE_URL).toBeUndefined();
    }
  });

  it("refuses a non-loopback address in the sandbox with one line naming the variable", () => {
    const error = refusal({ VENDOR_BASE_URL: "https://api.vendor.example" });
    expect(error.variable).toBe("VENDOR_BASE_URL");
    expect(error.message).toMatch(/^VENDOR_BASE_URL: GTM_ENV=sandbox only reaches local emulators/);
    expect(error.message).toContain("api.vendor.example is not a loopback address");
    expect(error.message).not.toContain("\n");
    for (const url of ["http://10.0.0.5:4099", "http://[2001:db8::1]/", "http://localhost.evil.example"]) {
      expect(refusal({ DERIVED_BASE_URL: url }).variable).toBe("DERIVED_BASE_URL");
    }
  });

  it("accepts any loopback address in the sandbox and any address elsewhere", () => {
    for (const url of ["http://localhost:5000", "http://127.0.0.2:4099/", "http://[::1]:4099"]) {
      expect(load({ VENDOR_BASE_URL: url }).VENDOR_BASE_URL).toBe(url.replace(/\/$/, ""));
    }
    expect(
      load({ GTM_ENV: "staging", VENDOR_BASE_URL: "https://proxy.corp.example/vendor/" }).VENDOR_BASE_URL,
    ).toBe("https://proxy.corp.example/vendor");
  });

  it("accepts only an http(s) URL without credentials", () => {
    expect(refusal({ VENDOR_BASE_URL: "ftp://127.0.0.1" }).variable).toBe("VENDOR_BASE_URL");
    expect(refusal({ VENDOR_BASE_URL: "not a url" }).variable).toBe("VENDOR_BASE_URL");
    expect(refusal({ VENDOR_BASE_URL: "http://user:pw@127.0.0.1:4099" }).message).toMatch(
      /no user name or password/,
    );
  });

  it("states both defaults in --help", () => {
    const help = renderHelp({ binary: "gtm-mcp-x", description: "x", vars });
    expect(help).toContain(
      "default: http://127.0.0.1:4099 (the emulator) in sandbox; https://api.vendor.example otherwise",
    );
    expect(help).toContain(
      "default: http://127.0.0.1:4098 (the emulator) in sandbox; derived by the server otherwise",
    );
  });
});
