import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isToolError } from "../../src/errors/index.js";
import {
  canonicalJson,
  differingFields,
  fingerprintArgs,
  sha256Hex,
} from "../../src/idempotency/canonical.js";

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error("expected a throw");
}

describe("canonicalJson", () => {
  it("sorts keys recursively and drops undefined members", () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: undefined, x: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[3,{"x":2,"z":1}]},"b":1}',
    );
  });

  it("normalises numbers: -0 is 0, 1.0 is 1, exponents as JSON prints them", () => {
    expect(canonicalJson([-0, 1.0, 0.1, 1e21, -2.5])).toBe("[0,1,0.1,1e+21,-2.5]");
  });

  it("keeps array holes and undefined items as null, like JSON", () => {
    expect(canonicalJson([undefined, 1])).toBe("[null,1]");
  });

  it("uses toJSON (dates become ISO strings)", () => {
    expect(canonicalJson({ at: new Date(Date.UTC(2026, 10, 21)) })).toBe('{"at":"2026-11-21T00:00:00.000Z"}');
  });

  it.each([
    ["NaN", { a: { b: Number.NaN } }, "a.b"],
    ["Infinity", { list: [1, Number.POSITIVE_INFINITY] }, "list[1]"],
    ["a bigint", { n: 1n }, "n"],
    ["a function", { f: () => 1 }, "f"],
  ])("rejects %s with INVALID_INPUT naming the field", (_name, value, field) => {
    const error = thrown(() => canonicalJson(value));
    expect(isToolError(error) && error.code).toBe("INVALID_INPUT");
    expect(isToolError(error) && error.field).toBe(field);
  });

  it("rejects cycles and a top-level undefined", () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(isToolError(thrown(() => canonicalJson(cyclic)))).toBe(true);
    expect(isToolError(thrown(() => canonicalJson(undefined)))).toBe(true);
  });

  it("normalises every string, values and keys, to Unicode NFC", () => {
    const nfc = "caf\u00e9";
    const nfd = "cafe\u0301";
    expect(canonicalJson({ o: nfd })).toBe(canonicalJson({ o: nfc }));
    expect(canonicalJson({ o: nfd })).toBe(`{"o":"${nfc}"}`);
    expect(canonicalJson({ [nfd]: [nfd, { [nfd]: 1 }] })).toBe(`{"${nfc}":["${nfc}",{"${nfc}":1}]}`);
    // Keys sort by their normalised text.
    expect(canonicalJson({ "\u212b": 1, B: 2 })).toBe('{"B":2,"\u00c5":1}');
    expect(fingerprintArgs({ note: `Met the ${nfd} owner` })).toEqual(
      fingerprintArgs({ note: `Met the ${nfc} owner` }),
    );
    expect(fingerprintArgs({ [nfd]: 1 }).fieldHashes).toEqual({ [nfc]: sha256Hex("1") });
  });

  it("rejects two keys that are the same text once normalised, naming the field", () => {
    const error = thrown(() => canonicalJson({ a: { "caf\u00e9": 1, "cafe\u0301": 2 } }));
    expect(isToolError(error) && error.code).toBe("INVALID_INPUT");
    expect(isToolError(error) && error.field).toBe("a.caf\u00e9");
  });

  it("is the same text whatever the key order, and parses back to an equal value", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalJson(value);
        const shuffled = JSON.parse(JSON.stringify(value, (_k, v) => reverseKeys(v)));
        expect(canonicalJson(shuffled)).toBe(text);
        expect(canonicalJson(JSON.parse(text))).toBe(text);
      }),
    );
  });
});

function reverseKeys(value: unknown): unknown {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).reverse());
}

describe("fingerprintArgs and differingFields", () => {
  it("hashes the canonical arguments and each top-level field", () => {
    const { fingerprint, fieldHashes } = fingerprintArgs({ b: [1, 2], a: "x", skip: undefined });
    expect(fingerprint).toBe(sha256Hex('{"a":"x","b":[1,2]}'));
    expect(fieldHashes).toEqual({ a: sha256Hex('"x"'), b: sha256Hex("[1,2]") });
    expect(sha256Hex("")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  });

  it("gives the same fingerprint for the same arguments in another key order", () => {
    expect(fingerprintArgs({ a: 1, b: { c: 2, d: 3 } })).toEqual(
      fingerprintArgs({ b: { d: 3, c: 2 }, a: 1 }),
    );
  });

  it("names changed fields and fields present on one side only, sorted", () => {
    const a = fingerprintArgs({ body: "x", to: "a@b.c", cc: "d@e.f" }).fieldHashes;
    const b = fingerprintArgs({ to: "a@b.c", body: "y", subject: "Hi" }).fieldHashes;
    expect(differingFields(a, b)).toEqual(["body", "cc", "subject"]);
    expect(differingFields(a, a)).toEqual([]);
  });
});
