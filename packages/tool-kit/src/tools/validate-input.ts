import type { z } from "zod";
import { bounded, ToolError } from "../errors/index.js";
import type { ObjectSchema } from "./define-tool.js";

/** A zod issue path as a JSON path: `contacts[2].email`. */
export function toJsonPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out === "" ? String(part) : `.${String(part)}`;
  }
  return out;
}

/** How many problems one error message names before it says how many more there are. */
const MAX_NAMED_ISSUES = 8;

/**
 * Parses raw tool arguments. Unknown arguments are rejected, not ignored: an agent's typo
 * must not silently change what a write does. The message names every problem (up to
 * {@link MAX_NAMED_ISSUES}), each as `path: what`, so one retry can fix them all; a schema's
 * own message for unknown keys (e.g. "exists but is not allowed here") is kept. `__proto__`
 * counts as unknown too (by the time it gets here it may be the object's prototype rather
 * than a key, which zod's check of unknown keys cannot see). Names and paths echoed back are
 * bounded (see `bounded`): an argument name can be a megabyte long.
 *
 * @throws ToolError `INVALID_INPUT` whose `field` is the JSON path of the first bad argument.
 */
export function validateInput<I extends ObjectSchema>(
  schema: I,
  raw: unknown,
  scrub: (text: string) => string = (text) => text,
): z.output<I> {
  const args = raw ?? {};
  if (hasProtoArgument(args)) invalid("__proto__", 'unknown argument "__proto__"', 1);
  const parsed = strictOf(schema).safeParse(args);
  if (parsed.success) return parsed.data as z.output<I>;
  const problems = parsed.error.issues.map((issue) => describeIssue(issue, scrub));
  const named = problems.slice(0, MAX_NAMED_ISSUES).map((p) => `${p.field}: ${p.message}`);
  const rest = problems.length - named.length;
  const message = `${named.join("; ")}${rest > 0 ? `; and ${rest} more` : ""}`;
  return invalid(problems[0]!.field, message, parsed.error.issues.length);
}

/**
 * The strict copy of each tool's schema, made once: `.strict()` builds a new schema, and zod
 * compiles a new parser for each one at its first parse, which cost more than the rest of a
 * read call together.
 */
const strictSchemas = new WeakMap<ObjectSchema, ObjectSchema>();

function strictOf(schema: ObjectSchema): ObjectSchema {
  let strict = strictSchemas.get(schema);
  if (!strict) {
    strict = schema.strict();
    strictSchemas.set(schema, strict);
  }
  return strict;
}

/**
 * One issue as `field` and `message`, every caller-controlled text scrubbed before it is
 * bounded: a bound that cuts a secret leaves a prefix the envelope's scrubbing no longer sees.
 */
function describeIssue(
  issue: z.core.$ZodIssue,
  scrub: (text: string) => string,
): { field: string; message: string } {
  const cut = (text: string) => bounded(scrub(text), NAME_MAX);
  if (issue.code === "unrecognized_keys") {
    const field = cut(toJsonPath([...issue.path, issue.keys[0]!]));
    // zod's default text says nothing a retry needs; a schema's own text (a custom error) may.
    const custom = !issue.message.startsWith("Unrecognized key");
    const shown = issue.keys.slice(0, 3).map((k) => `"${cut(k)}"`);
    const more = issue.keys.length > 3 ? ` and ${issue.keys.length - 3} more` : "";
    const what = `unknown argument${issue.keys.length > 1 ? "s" : ""} ${shown.join(", ")}${more}`;
    return { field, message: custom ? cut(issue.message) : what };
  }
  return {
    field: cut(toJsonPath(issue.path) || "(arguments)"),
    message: cut(issue.message),
  };
}

/**
 * Whether the arguments carried a `__proto__` key: as an own key (straight from
 * `JSON.parse`), or already turned into the object's prototype by a copy made on the way
 * in (the protocol layer's parsing assigns keys one by one, and assigning `__proto__` sets
 * the prototype).
 */
function hasProtoArgument(args: unknown): boolean {
  if (args === null || typeof args !== "object" || Array.isArray(args)) return false;
  if (Object.hasOwn(args, "__proto__")) return true;
  const proto: unknown = Object.getPrototypeOf(args);
  return proto !== Object.prototype && proto !== null;
}

/** Longest argument name or path echoed whole in an error. */
const NAME_MAX = 200;

function invalid(field: string, message: string, count: number): never {
  throw new ToolError("INVALID_INPUT", message, { field, details: { issues: count } });
}
