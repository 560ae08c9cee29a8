import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ConfigError, defineVar, loadConfig, renderHelp, secretVar } from "../../src/config/index.js";

const vars = {
  VENDOR_TOKEN: secretVar({ description: "Vendor token", requiredIn: ["staging", "production"] }),
  VENDOR_ACCOUNT: defineVar<number>({
    description: "Account id the token must belong to",
    schema: z.string().regex(/^\d+$/, { error: "expected a numeric id" }).transform(Number),
    requiredIn: ["staging", "production"],
  }),
};

const configError = (fn: () => unknown): ConfigError => {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
};

describe("loadConfig", () => {
  it("defaults to sandbox with writes on, 100 writes per run, a run id per process", () => {
    const { common, vars: v } = loadConfig(vars, {});
    expect(common).toMatchObject({
      env: "sandbox",
      writesEnabled: true,
      maxWritesPerRun: 100,
      idempotencyTtlHours: 168,
      logLevel: "info",
    });
    expect(common.runId).toMatch(/^[A-Za-z0-9._:-]+$/);
    expect(v.VENDOR_TOKEN).toBeUndefined();
  });

  it("turns writes off by default outside the sandbox", () => {
    const env = { GTM_ENV: "staging", VENDOR_TOKEN: "tok-abcdef", VENDOR_ACCOUNT: "42" };
    expect(loadConfig(vars, env).common.writesEnabled).toBe(false);
    expect(loadConfig(vars, { ...env, GTM_ENABLE_WRITES: "true" }).common.writesEnabled).toBe(true);
    expect(loadConfig(vars, env).vars.VENDOR_ACCOUNT).toBe(42);
  });

  it("names the variable and what is expected for a bad or missing value", () => {
    expect(configError(() => loadConfig(vars, { GTM_ENV: "prod" })).message).toMatch(
      /^GTM_ENV: expected sandbox, staging or production/,
    );
    expect(configError(() => loadConfig(vars, { GTM_ENABLE_WRITES: "maybe" })).variable).toBe(
      "GTM_ENABLE_WRITES",
    );
    expect(configError(() => loadConfig(vars, { GTM_MAX_WRITES_PER_RUN: "-1" })).variable).toBe(
      "GTM_MAX_WRITES_PER_RUN",
    );
    expect(configError(() => loadConfig(vars, { GTM_RUN_ID: "has space" })).variable).toBe("GTM_RUN_ID");
    const missing = configError(() => loadConfig(vars, { GTM_ENV: "staging", VENDOR_ACCOUNT: "1" }));
    expect(missing.message).toMatch(
      /^VENDOR_TOKEN: must be set \(or VENDOR_TOKEN_FILE\) when GTM_ENV=staging/,
    );
    const bad = configError(() =>
      loadConfig(vars, { GTM_ENV: "staging", VENDOR_TOKEN: "tok-abcdef", VENDOR_ACCOUNT: "x1" }),
    );
    expect(bad.message).toMatch(/^VENDOR_ACCOUNT: expected a numeric id/);
  });

  it("refuses the embedded store in production; a read-only production server needs no store", () => {
    const env = { GTM_ENV: "production", VENDOR_TOKEN: "tok-abcdef", VENDOR_ACCOUNT: "1" };
    const writing = { ...env, GTM_ENABLE_WRITES: "true" };
    expect(configError(() => loadConfig(vars, writing)).variable).toBe("GTM_STATE_URL");
    const embedded = { ...env, GTM_STATE_URL: "sqlite:/tmp/a" };
    expect(configError(() => loadConfig(vars, embedded)).variable).toBe("GTM_STATE_URL");
    const redis = { ...writing, GTM_STATE_URL: "rediss://cache:6380" };
    expect(loadConfig(vars, redis).common.stateUrl).toBe("rediss://cache:6380");
    expect(loadConfig(vars, env).common).toMatchObject({ writesEnabled: false, stateUrl: undefined });
  });

  it("reads a secret from NAME_FILE, re-reads it on refresh, and refuses both forms at once", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cfg-"));
    const file = join(dir, "token");
    writeFileSync(file, "tok-first-value\n");
    const { vars: v, secrets } = loadConfig(vars, { VENDOR_TOKEN_FILE: file });
    expect(v.VENDOR_TOKEN?.get()).toBe("tok-first-value");
    expect(JSON.stringify(v)).not.toContain("tok-first-value");
    writeFileSync(file, "tok-second-value\n");
    expect(await secrets.reload()).toEqual(["VENDOR_TOKEN"]);
    expect(v.VENDOR_TOKEN?.get()).toBe("tok-second-value");
    expect(secrets.values()).toEqual(["tok-second-value"]);
    expect(
      configError(() => loadConfig(vars, { VENDOR_TOKEN: "a", VENDOR_TOKEN_FILE: file })).message,
    ).toMatch(/not both/);
  });

  it("treats the password in a Redis state URL as a secret to scrub", () => {
    const { secrets } = loadConfig(vars, { GTM_STATE_URL: "redis://:s3cr%40t-pass@cache:6379/0" });
    expect(secrets.values()).toEqual(["s3cr@t-pass"]);
  });

  it("--help lists every variable with its default and whether it is secret", () => {
    const help = renderHelp({ binary: "gtm-mcp-x", description: "x", vars });
    expect(help).toMatch(/GTM_ENABLE_WRITES\s+.*\n\s+default: true in sandbox, false otherwise/);
    expect(help).toMatch(
      /VENDOR_TOKEN \| VENDOR_TOKEN_FILE\s+Vendor token\n\s+default: \(none\); required in staging, production; secret/,
    );
  });
});
