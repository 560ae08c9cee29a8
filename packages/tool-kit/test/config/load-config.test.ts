import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  ConfigError,
  defineVar,
  loadConfig,
  renderHelp,
  Secret,
  SecretRegistry,
  secretVar,
} from "../../src/config/index.js";
import { createScrubber } from "../../src/logging/index.js";

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
    expect(await secrets.reload()).toEqual({ changed: ["VENDOR_TOKEN"], failed: [] });
    expect(v.VENDOR_TOKEN?.get()).toBe("tok-second-value");
    // The rotated-out value stays in the scrub set: a vendor may still accept and echo it.
    expect(secrets.values()).toEqual(["tok-second-value", "tok-first-value"]);
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

describe("GTM_STATE_URL", () => {
  const base = { VENDOR_TOKEN: "tok-abcdef", VENDOR_ACCOUNT: "1" };

  it.each([
    ["postgres://user:hunter22@db/state", "hunter22"],
    ["redis:/nohost", "nohost"],
    ["redis:hunter22@cache", "hunter22"],
    ["rediss://:hunter#22@cache:6380", "hunter"],
    ["sqlite://", "sqlite://"],
    ["/var/lib/hunter22.sqlite", "hunter22"],
  ])("refuses %s at config time, listing the accepted forms without echoing the value", (url, hidden) => {
    for (const env of [
      { GTM_STATE_URL: url },
      { ...base, GTM_ENV: "staging", GTM_STATE_URL: url },
      { ...base, GTM_ENV: "production", GTM_ENABLE_WRITES: "false", GTM_STATE_URL: url },
    ]) {
      const error = configError(() => loadConfig(vars, env));
      expect(error.variable).toBe("GTM_STATE_URL");
      expect(error.message).toMatch(
        /^GTM_STATE_URL: expected redis:\/\/host:port\[\/db\], rediss:\/\/.*sqlite:<path>/,
      );
      expect(error.message).not.toContain(hidden);
    }
  });

  it("accepts the forms the store accepts, in any case of the scheme", () => {
    for (const url of [
      "redis://cache:6379/0",
      "REDIS://cache:6379",
      "rediss://:p%40ssword@cache:6380",
      "sqlite:/tmp/x.sqlite",
      "sqlite::memory:",
      "  ",
    ]) {
      expect(() => loadConfig(vars, { GTM_STATE_URL: url })).not.toThrow();
    }
    const production = { ...base, GTM_ENV: "production", GTM_ENABLE_WRITES: "true" };
    expect(loadConfig(vars, { ...production, GTM_STATE_URL: "REDISS://cache:6380" }).common.stateUrl).toBe(
      "REDISS://cache:6380",
    );
    expect(loadConfig(vars, { GTM_STATE_URL: "REDIS://:upper-case-pass@cache" }).secrets.values()).toEqual([
      "upper-case-pass",
    ]);
  });
});

describe("secrets too short to scrub", () => {
  const staging = { GTM_ENV: "staging", VENDOR_ACCOUNT: "1" };

  it("refuses, outside the sandbox, a secret shorter than 6 characters, given directly or in a _FILE", () => {
    const direct = configError(() => loadConfig(vars, { ...staging, VENDOR_TOKEN: "abc12" }));
    expect(direct.variable).toBe("VENDOR_TOKEN");
    expect(direct.message).toBe("VENDOR_TOKEN: is too short to be a credential (at least 6 characters)");

    const dir = mkdtempSync(join(tmpdir(), "cfg-"));
    const file = join(dir, "token");
    writeFileSync(file, "abc12\n");
    const fromFile = configError(() => loadConfig(vars, { ...staging, VENDOR_TOKEN_FILE: file }));
    expect(fromFile.message).toBe("VENDOR_TOKEN: is too short to be a credential (at least 6 characters)");
    expect(fromFile.message).not.toContain("abc12");

    expect(loadConfig(vars, { ...staging, VENDOR_TOKEN: "abc123" }).vars.VENDOR_TOKEN?.get()).toBe("abc123");
    rmSync(dir, { recursive: true, force: true });
  });

  it("accepts a short fake credential in the sandbox (emulators take any token)", () => {
    expect(loadConfig(vars, { VENDOR_TOKEN: "test" }).vars.VENDOR_TOKEN?.get()).toBe("test");
  });

  it("refuses a Redis password too short to scrub", () => {
    const error = configError(() => loadConfig(vars, { GTM_STATE_URL: "redis://:pw1@cache:6379" }));
    expect(error.variable).toBe("GTM_STATE_URL");
    expect(error.message).toMatch(/too short to be a credential/);
    expect(error.message).not.toContain("pw1");
  });

  it("keeps the old value when a rotated file holds a too-short one", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cfg-"));
    const file = join(dir, "token");
    writeFileSync(file, "tok-long-enough\n");
    const { vars: v, secrets } = loadConfig(vars, { ...staging, VENDOR_TOKEN_FILE: file });
    writeFileSync(file, "abc\n");
    const { changed, failed } = await secrets.reload();
    expect(changed).toEqual([]);
    expect(failed).toEqual([{ name: "VENDOR_TOKEN", problem: expect.stringMatching(/too short/) }]);
    expect(v.VENDOR_TOKEN?.get()).toBe("tok-long-enough");
    rmSync(dir, { recursive: true, force: true });
  });
});

describe("secret rotation", () => {
  const two = {
    A_TOKEN: secretVar({ description: "first" }),
    B_TOKEN: secretVar({ description: "second" }),
    C_TOKEN: secretVar({ description: "third" }),
  };

  it("still scrubs a rotated-out value, after a reload or a re-read after a 401", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cfg-"));
    const file = join(dir, "a");
    writeFileSync(file, "tok-old-but-valid\n");
    const { vars: v, secrets } = loadConfig(two, { A_TOKEN_FILE: file });
    const scrubber = createScrubber(() => secrets.values());

    writeFileSync(file, "tok-new-after-hup\n");
    await secrets.reload();
    expect(scrubber.text('{"echo":"tok-old-but-valid"}')).toBe('{"echo":"[REDACTED]"}');

    // The upstream client refreshes the credential itself after a 401.
    writeFileSync(file, "tok-newest-after-401\n");
    expect(await v.A_TOKEN?.asCredential().refresh?.()).toBe(true);
    expect(scrubber.text("tok-old-but-valid tok-new-after-hup tok-newest-after-401")).toBe(
      "[REDACTED] [REDACTED] [REDACTED]",
    );
    rmSync(dir, { recursive: true, force: true });
  });

  it("keeps the last 5 previous values of each secret", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cfg-"));
    const file = join(dir, "a");
    writeFileSync(file, "tok-value-0");
    const { vars: v, secrets } = loadConfig(two, { A_TOKEN_FILE: file, B_TOKEN: "tok-static-b" });
    for (let i = 1; i <= 7; i++) {
      writeFileSync(file, `tok-value-${i}`);
      await secrets.reload();
    }
    expect(v.A_TOKEN?.previousValues()).toEqual([6, 5, 4, 3, 2].map((i) => `tok-value-${i}`));
    expect(secrets.values().sort()).toEqual(
      ["tok-static-b", ...[7, 6, 5, 4, 3, 2].map((i) => `tok-value-${i}`)].sort(),
    );
    rmSync(dir, { recursive: true, force: true });
  });

  it("keeps scrubbing the value of a secret replaced under the same name", () => {
    const registry = new SecretRegistry();
    registry.add(new Secret("X", "tok-first-x"));
    registry.add(new Secret("X", "tok-second-x"));
    expect(registry.values()).toEqual(["tok-second-x", "tok-first-x"]);
  });

  it("re-reads every file on reload even when one cannot be read, and reports it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cfg-"));
    const [a, b, c] = ["a", "b", "c"].map((n) => join(dir, n)) as [string, string, string];
    writeFileSync(a, "tok-a-first");
    writeFileSync(b, "tok-b-first");
    writeFileSync(c, "tok-c-first");
    const { vars: v, secrets } = loadConfig(two, { A_TOKEN_FILE: a, B_TOKEN_FILE: b, C_TOKEN_FILE: c });
    rmSync(a);
    writeFileSync(b, "");
    writeFileSync(c, "tok-c-second");

    const result = await secrets.reload();
    expect(result.changed).toEqual(["C_TOKEN"]);
    expect(result.failed).toEqual([
      { name: "A_TOKEN", problem: expect.stringMatching(/^A_TOKEN_FILE: cannot read .* \(ENOENT\)/) },
      { name: "B_TOKEN", problem: expect.stringMatching(/^B_TOKEN_FILE: .* is empty/) },
    ]);
    expect(v.A_TOKEN?.get()).toBe("tok-a-first");
    expect(v.B_TOKEN?.get()).toBe("tok-b-first");
    expect(v.C_TOKEN?.get()).toBe("tok-c-second");
    rmSync(dir, { recursive: true, force: true });
  });
});
