import type { InputRequiredResult } from "@modelcontextprotocol/server";
import type { Scrubber } from "../logging/index.js";

/**
 * A successful result with every configured secret value replaced in its strings (and
 * object keys), wherever a vendor echoed it or a hostile record carries it. Only values are
 * scrubbed, not keys by name, so the result keeps its declared shape: a string stays a string.
 */
export function scrubResult(
  structured: Record<string, unknown>,
  scrubber: Scrubber,
): Record<string, unknown> {
  return walk(structured, scrubber) as Record<string, unknown>;
}

/**
 * An `input_required` result (a handler asking a person) with every configured secret value
 * replaced in what the client is shown: each question's message and every text of its
 * requested schema (titles, descriptions, defaults, enum labels). A prompt built from a
 * draft or a vendor record can carry a secret as easily as a result; the SDK's 2025-era
 * shim sends these same texts as `elicitation/create`. The request state is left as it is:
 * it is the answer's binding, compared byte for byte on the next round, and holds no text.
 */
export function scrubInputRequired(result: InputRequiredResult, scrubber: Scrubber): InputRequiredResult {
  if (result.inputRequests === undefined) return result;
  return { ...result, inputRequests: walk(result.inputRequests, scrubber) as typeof result.inputRequests };
}

function walk(value: unknown, scrubber: Scrubber): unknown {
  if (typeof value === "string") return scrubber.text(value);
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((item) => walk(item, scrubber));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[scrubber.text(key)] = walk(item, scrubber);
  return out;
}
