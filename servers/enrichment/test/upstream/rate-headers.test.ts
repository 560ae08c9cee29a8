import { describe, expect, it } from "vitest";
import { parseRateWindows, parseResetAt } from "../../src/upstream/rate-headers.js";

describe("PDL rate headers, read leniently", () => {
  it.each([
    ['{"minute": 10, "day": 100, "month": 1000}', { minute: 10, day: 100, month: 1000 }],
    ["{'minute': 0, 'day': 49000}", { minute: 0, day: 49000 }],
    ["{'minute': '7'}", { minute: 7 }],
    ["{ 'month' : 3 }", { month: 3 }],
  ])("reads %s", (header, expected) => {
    expect(parseRateWindows(header)).toEqual(expected);
  });

  it.each([undefined, "", "garbage", "{}"])("returns undefined for %j", (header) => {
    expect(parseRateWindows(header)).toBeUndefined();
  });

  it.each([
    ["1795000000", 1_795_000_000_000],
    ["1795000000123", 1_795_000_000_123],
    ["2026-11-21T12:00:01Z", Date.UTC(2026, 10, 21, 12, 0, 1)],
    ["2026-11-21 12:00:01", Date.UTC(2026, 10, 21, 12, 0, 1)],
    ["'2026-11-21T12:00:01'", Date.UTC(2026, 10, 21, 12, 0, 1)],
    ["Sat, 21 Nov 2026 12:00:01 GMT", Date.UTC(2026, 10, 21, 12, 0, 1)],
  ])("reads the reset %s as UTC", (header, expected) => {
    expect(parseResetAt(header)).toBe(expected);
  });

  it.each([undefined, "", "soon"])("has no reset for %j", (header) => {
    expect(parseResetAt(header)).toBeUndefined();
  });
});
