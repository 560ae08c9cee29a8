import { describe, expect, it } from "vitest";
import { parseCli } from "../../src/cli/parse-args.js";

describe("gtm-sandbox options", () => {
  it("defaults to the brief's ports and scaled limits", () => {
    expect(parseCli([])).toMatchObject({
      json: false,
      realLimits: false,
      host: "127.0.0.1",
      ports: { hubspot: 4010, pdl: 4020, snowflake: 4030, gmail: 4040 },
      faults: {},
    });
  });

  it("reads ports, seed, size, limits and faults per vendor", () => {
    const options = parseCli([
      "--seed",
      "s",
      "--accounts",
      "200",
      "--real-limits",
      "--pdl-port",
      "0",
      "--faults",
      '{"pdl":{"rateLimitRate":0.2},"hubspot":{"commitThenDrop":{"rate":0.1,"operations":["notes.create"]}}}',
    ]);
    expect(options).toMatchObject({
      seed: "s",
      accounts: 200,
      realLimits: true,
      ports: { pdl: 0, hubspot: 4010 },
    });
    expect(options.faults.pdl).toEqual({ rateLimitRate: 0.2 });
    expect(options.faults.hubspot?.commitThenDrop?.operations).toEqual(["notes.create"]);
  });

  it("refuses an unknown vendor, a bad fault field and a bad port, naming them", () => {
    expect(() => parseCli(["--faults", '{"stripe":{}}'])).toThrow(/stripe/);
    expect(() => parseCli(["--faults", '{"pdl":{"rateLimitRate":2}}'])).toThrow(/pdl/);
    expect(() => parseCli(["--faults", '{"pdl":{"typo":1}}'])).toThrow(/pdl/);
    expect(() => parseCli(["--gmail-port", "70000"])).toThrow(/--gmail-port/);
    expect(() => parseCli(["--nope"])).toThrow();
  });

  it("reads --no-limits and --latency-ms (a fixed latency on every vendor; --faults' own latency wins)", () => {
    const options = parseCli([
      "--no-limits",
      "--latency-ms",
      "5",
      "--faults",
      '{"pdl":{"latency":{"fixedMs":9}}}',
    ]);
    expect(options.noLimits).toBe(true);
    expect(options.faults.hubspot).toEqual({ latency: { fixedMs: 5 } });
    expect(options.faults.gmail).toEqual({ latency: { fixedMs: 5 } });
    expect(options.faults.pdl).toEqual({ latency: { fixedMs: 9 } });
    expect(parseCli([]).noLimits).toBe(false);
    expect(() => parseCli(["--no-limits", "--real-limits"])).toThrow(/--no-limits/);
    expect(() => parseCli(["--latency-ms", "-1"])).toThrow(/--latency-ms/);
  });
});
