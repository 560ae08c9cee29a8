import { ToolError } from "../errors/index.js";
import type { Scrubber } from "../logging/index.js";
import { toJsonPath } from "./validate-input.js";

/**
 * Refuses a write whose arguments carry a configured secret value (a token pasted into a
 * note body, say): the vendor would store it where anyone with CRM access reads it, and the
 * scrubber only keeps it out of our own logs and results. Compares each string (and object
 * key) with what the runtime's scrubber would redact, so every secret it knows counts, in
 * raw, JSON-escaped and URL-encoded form.
 *
 * @throws ToolError `INVALID_INPUT` whose `field` is the JSON path of the argument; the value
 *   is never echoed (a secret found in a key names the object holding it).
 */
export function refuseSecretArguments(args: Record<string, unknown>, scrubber: Scrubber): void {
  const found = findSecret(args, [], scrubber, 0);
  if (found === undefined) return;
  const field = toJsonPath(found) || "(arguments)";
  throw new ToolError(
    "INVALID_INPUT",
    `${field}: contains a configured secret value; remove it (secrets are never sent to a vendor)`,
    { field },
  );
}

const MAX_DEPTH = 32;

function findSecret(
  value: unknown,
  path: PropertyKey[],
  scrubber: Scrubber,
  depth: number,
): PropertyKey[] | undefined {
  if (typeof value === "string") return scrubber.text(value) === value ? undefined : path;
  if (value === null || typeof value !== "object" || depth > MAX_DEPTH) return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const hit = findSecret(value[i], [...path, i], scrubber, depth + 1);
      if (hit) return hit;
    }
    return undefined;
  }
  for (const [key, item] of Object.entries(value)) {
    if (scrubber.text(key) !== key) return path;
    const hit = findSecret(item, [...path, key], scrubber, depth + 1);
    if (hit) return hit;
  }
  return undefined;
}
