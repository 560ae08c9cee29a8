import { createHash } from "node:crypto";
import { ToolError } from "../errors/index.js";

/**
 * The canonical JSON text of `value`: every string (values and object keys) in Unicode
 * NFC, object keys sorted (by UTF-16 code unit of the normalised key, recursively), no
 * whitespace, `undefined` object members dropped, numbers normalised (`-0` is `0`, `1.0` is
 * `1`), `toJSON()` honoured (dates become ISO strings). Two values that mean the same JSON
 * produce the same text, whatever their key order and whichever Unicode form their text
 * arrived in ("café" typed as one code point or as `e` + a combining accent).
 *
 * Throws `ToolError("INVALID_INPUT")` (with `field`, the JSON path) for what JSON cannot
 * state faithfully: non-finite numbers, bigints, functions, symbols, cycles, a top-level
 * `undefined`, and two keys of one object that are the same text once normalised.
 */
export function canonicalJson(value: unknown): string {
  const out = write(value, "", new Set());
  if (out === undefined) throw invalid("", "undefined has no JSON form");
  return out;
}

/** Lowercase hex SHA-256 of the UTF-8 bytes of `text`. */
export function sha256Hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/** The fingerprint of a call's arguments, and a hash per top-level field to name differences. */
export interface ArgsFingerprint {
  /** SHA-256 of the canonical JSON of all the arguments. */
  fingerprint: string;
  /** SHA-256 of each top-level argument's canonical JSON; `undefined` members are absent. */
  fieldHashes: Record<string, string>;
}

/**
 * Fingerprints a call's arguments for {@link IdempotencyStore.claim}.
 * Throws `ToolError("INVALID_INPUT")` as {@link canonicalJson} does.
 */
export function fingerprintArgs(args: Record<string, unknown>): ArgsFingerprint {
  const fingerprint = sha256Hex(canonicalJson(args));
  const fieldHashes: Record<string, string> = {};
  for (const [name, key] of normalisedKeys(args, "")) {
    const text = write(args[key], name, new Set());
    if (text !== undefined) fieldHashes[name] = sha256Hex(text);
  }
  return { fingerprint, fieldHashes };
}

/**
 * The names of the fields whose hashes differ between `a` and `b`, including fields present
 * on one side only, sorted.
 */
export function differingFields(a: Record<string, string>, b: Record<string, string>): string[] {
  const names = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...names]
    .filter((name) => !Object.hasOwn(a, name) || !Object.hasOwn(b, name) || a[name] !== b[name])
    .sort();
}

/** The canonical text of `value`, or `undefined` for what an object member would drop. */
function write(value: unknown, path: string, ancestors: Set<object>): string | undefined {
  if (value === null) return "null";
  switch (typeof value) {
    case "undefined":
      return undefined;
    case "boolean":
      return value ? "true" : "false";
    case "string":
      return JSON.stringify(nfc(value));
    case "number":
      if (!Number.isFinite(value)) throw invalid(path, `${value} is not a JSON number`);
      // JSON.stringify already prints 1.0 as 1 and -0 as 0; spelled out because it is the contract.
      return Object.is(value, -0) ? "0" : JSON.stringify(value);
    case "bigint":
      throw invalid(path, "a bigint has no exact JSON form; pass it as a string");
    case "function":
    case "symbol":
      throw invalid(path, `a ${typeof value} has no JSON form`);
  }
  const object = value as object;
  if (typeof (object as { toJSON?: unknown }).toJSON === "function") {
    return write((object as { toJSON: (key: string) => unknown }).toJSON(path), path, ancestors);
  }
  if (ancestors.has(object)) throw invalid(path, "a cycle has no JSON form");
  ancestors.add(object);
  try {
    if (Array.isArray(object)) {
      // As in JSON, an array keeps its length: a missing element is null.
      const items = object.map((item, index) => write(item, `${path}[${index}]`, ancestors) ?? "null");
      return `[${items.join(",")}]`;
    }
    const members: string[] = [];
    for (const [name, key] of normalisedKeys(object, path)) {
      const text = write(
        (object as Record<string, unknown>)[key],
        path === "" ? name : `${path}.${name}`,
        ancestors,
      );
      if (text !== undefined) members.push(`${JSON.stringify(name)}:${text}`);
    }
    return `{${members.join(",")}}`;
  } finally {
    ancestors.delete(object);
  }
}

/** `text` in Unicode Normalization Form C. */
function nfc(text: string): string {
  return text.normalize("NFC");
}

/**
 * The own enumerable keys of `object` as [NFC name, original key] pairs, sorted by name.
 * Two keys that are the same name once normalised cannot both be stated: INVALID_INPUT.
 */
function normalisedKeys(object: object, path: string): Array<[string, string]> {
  const byName = new Map<string, string>();
  for (const key of Object.keys(object)) {
    const name = nfc(key);
    if (byName.has(name)) {
      const where = path === "" ? name : `${path}.${name}`;
      throw invalid(where, "two keys are the same text once Unicode-normalised (NFC)");
    }
    byName.set(name, key);
  }
  return [...byName.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function invalid(path: string, reason: string): ToolError {
  const where = path === "" ? "arguments" : path;
  return new ToolError("INVALID_INPUT", `Cannot fingerprint ${where}: ${reason}.`, {
    ...(path === "" ? {} : { field: path }),
  });
}
