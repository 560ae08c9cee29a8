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

/**
 * Parses raw tool arguments. Unknown arguments are rejected, not ignored: an agent's typo
 * must not silently change what a write does.
 *
 * @throws ToolError `INVALID_INPUT` whose `field` is the JSON path of the first bad argument.
 */
export function validateInput<I extends ObjectSchema>(schema: I, raw: unknown): z.output<I> {
  const args = raw ?? {};
  const parsed = schema.strict().safeParse(args);
  if (parsed.success) return parsed.data as z.output<I>;
  const issue = parsed.error.issues[0]!;
  let path = [...issue.path];
  let message = issue.message;
  if (issue.code === "unrecognized_keys") {
    path = [...path, issue.keys[0]!];
    message = `unknown argument${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `"${k}"`).join(", ")}`;
  }
  const field = toJsonPath(path) || "(arguments)";
  const more = parsed.error.issues.length > 1 ? ` (and ${parsed.error.issues.length - 1} more)` : "";
  return invalid(field, `${field}: ${message}${more}`, parsed.error.issues.length);
}

function invalid(field: string, message: string, count: number): never {
  throw new ToolError("INVALID_INPUT", message, { field, details: { issues: count } });
}
