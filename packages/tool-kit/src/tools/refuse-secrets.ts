import { bounded, ToolError } from "../errors/index.js";
import type { Scrubber } from "../logging/index.js";
import { toJsonPath } from "./validate-input.js";

/**
 * Refuses a write whose arguments carry a configured secret value (a token pasted into a
 * note body or a display name, say): the vendor would store it where anyone with access
 * reads it, and the scrubber only keeps it out of our own logs and results. Every string
 * and object key is compared with what the runtime's scrubber would redact, so every secret
 * it knows counts (raw, JSON-escaped, URL-encoded, key material by its body), at any depth
 * (walked without recursion), and in each given form of the arguments: pass the parsed ones
 * and the raw ones, since a schema's transform (trimming, case folding) can hide a secret
 * in the parsed copy that the vendor would still receive in some form.
 *
 * @throws ToolError `INVALID_INPUT` whose `field` is the JSON path of the argument; the value
 *   is never echoed (a secret found in a key names the object holding it).
 */
export function refuseSecretArguments(args: unknown, scrubber: Scrubber, ...more: unknown[]): void {
  for (const form of [args, ...more]) {
    const found = findSecret(form, scrubber);
    if (found === undefined) continue;
    const field = bounded(toJsonPath(found), FIELD_MAX) || "(arguments)";
    throw new ToolError(
      "INVALID_INPUT",
      `${field}: contains a configured secret value; remove it (secrets are never sent to a vendor)`,
      { field },
    );
  }
}

/** Longest path named in the refusal. */
const FIELD_MAX = 300;

/** A place in the arguments: its key and the place holding it (a path is built only for a hit). */
interface Place {
  key: PropertyKey | undefined;
  parent: Place | undefined;
}

function pathOf(place: Place | undefined): PropertyKey[] {
  const path: PropertyKey[] = [];
  for (let at = place; at?.key !== undefined; at = at.parent) path.push(at.key);
  return path.reverse();
}

/** The path of the first string (or key) holding a secret, looked for with an explicit stack. */
function findSecret(root: unknown, scrubber: Scrubber): PropertyKey[] | undefined {
  const stack: Array<{ value: unknown; place: Place }> = [
    { value: root, place: { key: undefined, parent: undefined } },
  ];
  const seen = new Set<object>();
  while (stack.length > 0) {
    const { value, place } = stack.pop()!;
    if (typeof value === "string") {
      if (scrubber.text(value) !== value) return pathOf(place);
      continue;
    }
    if (value === null || typeof value !== "object" || seen.has(value)) continue;
    seen.add(value);
    const entries: Array<[PropertyKey, unknown]> = Array.isArray(value)
      ? value.map((item, i) => [i, item])
      : Object.entries(value);
    // Pushed in reverse, so the first argument in order is reported first.
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, item] = entries[i]!;
      if (typeof key === "string" && scrubber.text(key) !== key) return pathOf(place);
      stack.push({ value: item, place: { key, parent: place } });
    }
  }
  return undefined;
}
