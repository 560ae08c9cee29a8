import { describe, expect, it } from "vitest";
import { convertCell } from "../../src/upstream/convert-cell.js";

const col = (type: string, scale = 0) => ({ name: "C", type, scale });

describe("convertCell (jsonv2 encodings of vendors.md)", () => {
  it.each([
    ["FIXED scale 0", col("FIXED"), "42", 42],
    ["FIXED negative", col("fixed"), "-7", -7],
    ["FIXED scale 2", col("FIXED", 2), "12.50", 12.5],
    ["FIXED beyond 2^53 stays exact text", col("FIXED"), "9007199254740993", "9007199254740993"],
    ["FIXED scale 2 beyond 2^53", col("FIXED", 2), "-90071992547409930.25", "-90071992547409930.25"],
    ["FIXED at 2^53 - 1", col("FIXED"), "9007199254740991", 9007199254740991],
    ["REAL", col("REAL"), "3.25", 3.25],
    ["REAL exponent", col("real"), "1.5e-7", 1.5e-7],
    ["REAL NaN stays text", col("REAL"), "NaN", "NaN"],
    ["REAL inf stays text", col("REAL"), "inf", "inf"],
    ["BOOLEAN true", col("BOOLEAN"), "true", true],
    ["BOOLEAN false", col("boolean"), "false", false],
    ["DATE days since epoch", col("DATE"), "19723", "2024-01-01"],
    ["DATE before 1970", col("DATE"), "-1", "1969-12-31"],
    ["TIME", col("TIME", 9), "45296.789000000", "12:34:56.789"],
    [
      "TIMESTAMP_NTZ has no offset",
      col("TIMESTAMP_NTZ", 9),
      "1700000000.000000000",
      "2023-11-14T22:13:20.000",
    ],
    [
      "TIMESTAMP_NTZ microseconds",
      col("timestamp_ntz", 9),
      "1700000000.123456000",
      "2023-11-14T22:13:20.123456",
    ],
    [
      "TIMESTAMP_NTZ nanoseconds",
      col("TIMESTAMP_NTZ", 9),
      "1700000000.123456789",
      "2023-11-14T22:13:20.123456789",
    ],
    ["TIMESTAMP_NTZ before 1970", col("TIMESTAMP_NTZ", 9), "-1.500000000", "1969-12-31T23:59:58.500"],
    ["TIMESTAMP_LTZ is UTC", col("TIMESTAMP_LTZ", 9), "1700000000.000000000", "2023-11-14T22:13:20.000Z"],
    [
      "TIMESTAMP_TZ UTC+1 (1500)",
      col("TIMESTAMP_TZ", 9),
      "1700000000.000000000 1500",
      "2023-11-14T23:13:20.000+01:00",
    ],
    [
      "TIMESTAMP_TZ UTC-5:30 (1110)",
      col("TIMESTAMP_TZ", 9),
      "1700000000.000000000 1110",
      "2023-11-14T16:43:20.000-05:30",
    ],
    [
      "TIMESTAMP_TZ UTC (1440)",
      col("TIMESTAMP_TZ", 9),
      "1700000000.500000000 1440",
      "2023-11-14T22:13:20.500Z",
    ],
    ["BINARY hex", col("BINARY"), "48656C6C6F", "48656c6c6f"],
    ["VARIANT", col("VARIANT"), '{"a":[1,2]}', { a: [1, 2] }],
    ["OBJECT", col("object"), '{\n  "k": "v"\n}', { k: "v" }],
    ["ARRAY", col("ARRAY"), '[1,"x",null]', [1, "x", null]],
    ["VARIANT scalar", col("VARIANT"), '"text"', "text"],
    ["TEXT", col("TEXT"), "acme.com", "acme.com"],
    ["an unknown type stays text", col("GEOGRAPHY"), "POINT(1 2)", "POINT(1 2)"],
  ])("%s", (_label, column, cell, expected) => {
    expect(convertCell(column, cell)).toEqual(expected);
  });

  it("keeps NULL as null for every type", () => {
    for (const type of [
      "FIXED",
      "REAL",
      "TEXT",
      "BOOLEAN",
      "DATE",
      "TIME",
      "TIMESTAMP_TZ",
      "VARIANT",
      "BINARY",
    ]) {
      expect(convertCell(col(type), null)).toBeNull();
    }
  });
});
