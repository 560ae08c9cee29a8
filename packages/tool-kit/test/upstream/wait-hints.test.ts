import { describe, expect, it } from "vitest";
import { parseResetHeader, parseRetryAfter } from "../../src/upstream/index.js";

const now = Date.parse("2026-11-21T10:00:00.000Z");

describe("parseRetryAfter", () => {
  it("reads delta seconds", () => {
    expect(parseRetryAfter("120", now)).toBe(120_000);
    expect(parseRetryAfter(" 0 ", now)).toBe(0);
    expect(parseRetryAfter("1.5", now)).toBe(1500);
  });

  it("reads an HTTP date, and a past date is no wait", () => {
    expect(parseRetryAfter("Sat, 21 Nov 2026 10:00:30 GMT", now)).toBe(30_000);
    expect(parseRetryAfter("Sat, 21 Nov 2026 09:59:00 GMT", now)).toBe(0);
  });

  it("ignores what it cannot read", () => {
    for (const value of [undefined, null, "", "soon", "-5", "1e3"])
      expect(parseRetryAfter(value, now)).toBeUndefined();
  });
});

describe("parseResetHeader", () => {
  it("reads epoch seconds, epoch ms, delta seconds and dates", () => {
    expect(parseResetHeader(String(now / 1000 + 60), now)).toBe(60_000);
    expect(parseResetHeader(String(now + 2500), now)).toBe(2500);
    expect(parseResetHeader("7", now)).toBe(7000);
    expect(parseResetHeader("2026-11-21T10:01:00Z", now)).toBe(60_000);
    expect(parseResetHeader(String(now / 1000 - 60), now)).toBe(0);
    expect(parseResetHeader("garbage", now)).toBeUndefined();
  });
});
