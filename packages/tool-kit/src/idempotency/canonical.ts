import { createHash } from "node:crypto";
import { ToolError } from "../errors/index.js";

/**
 * The canonical JSON text of `value`: object keys sorted (by UTF-16 code unit, recursively),
 * no whitespace, `undefined` object members dropped, numbers normalised (`-0` is `0`,
 * `1.0` is `1`), `toJSON()` honoured (dates become ISO strings). Two values that mean the
 * same JSON produce the same text, whatever their key order.
 *
 * Throws `ToolError("INVALID_INPUT")` (with `field`, the JSON path) for what JSON cannot
 * state faithfully: non-finite numbers, bigints, functions, symbols, cycles, and a top-level
 * `undefined`.
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
  const fieldHashes: Record<string, string> = {};
  for (const name of Object.keys(args).sort()) {
    const text = write(args[name], name, new Set());
    if (text !== undefined) fieldHashes[name] = sha256Hex(text);
  }
  return { fingerprint: sha256Hex(canonicalJson(args)), fieldHashes };
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
      return JSON.stringify(value);
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
    for (const key of Object.keys(object).sort()) {
      const text = write(
        (object as Record<string, unknown>)[key],
        path === "" ? key : `${path}.${key}`,
        ancestors,
      );
      if (text !== undefined) members.push(`${JSON.stringify(key)}:${text}`);
    }
    return `{${members.join(",")}}`;
  } finally {
    ancestors.delete(object);
  }
}

function invalid(path: string, reason: string): ToolError {
  const where = path === "" ? "arguments" : path;
  return new ToolError("INVALID_INPUT", `Cannot fingerprint ${where}: ${reason}.`, {
    ...(path === "" ? {} : { field: path }),
  });
}
