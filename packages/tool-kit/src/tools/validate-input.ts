import type { z } from "zod";
import { ToolError } from "../errors/index.js";
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
 * own message for unknown keys (e.g. "exists but is not allowed here") is kept.
 *
 * @throws ToolError `INVALID_INPUT` whose `field` is the JSON path of the first bad argument.
 */
export function validateInput<I extends ObjectSchema>(schema: I, raw: unknown): z.output<I> {
  const args = raw ?? {};
  const parsed = schema.strict().safeParse(args);
  if (parsed.success) return parsed.data as z.output<I>;
  const problems = parsed.error.issues.map(describeIssue);
  const named = problems.slice(0, MAX_NAMED_ISSUES).map((p) => `${p.field}: ${p.message}`);
  const rest = problems.length - named.length;
  const message = `${named.join("; ")}${rest > 0 ? `; and ${rest} more` : ""}`;
  return invalid(problems[0]!.field, message, parsed.error.issues.length);
}

function describeIssue(issue: z.core.$ZodIssue): { field: string; message: string } {
  if (issue.code === "unrecognized_keys") {
    const field = toJsonPath([...issue.path, issue.keys[0]!]);
    // zod's default text says nothing a retry needs; a schema's own text (a custom error) may.
    const custom = !issue.message.startsWith("Unrecognized key");
    const names = issue.keys.map((k) => `"${k}"`).join(", ");
    const what = `unknown argument${issue.keys.length > 1 ? "s" : ""} ${names}`;
    return { field, message: custom ? issue.message : what };
  }
  return { field: toJsonPath(issue.path) || "(arguments)", message: issue.message };
}

function invalid(field: string, message: string, count: number): never {
  throw new ToolError("INVALID_INPUT", message, { field, details: { issues: count } });
}
