import { canonicalJson, fingerprintArgs, sha256Hex } from "../idempotency/canonical.js";
import type { ObjectSchema, WriteToolDefinition } from "./define-tool.js";
import type { KeyOrigin } from "./write-types.js";

/** The argument a caller may pass to choose the key itself. */
export const KEY_OVERRIDE_ARG = "idempotency_key";

/** The key of one write call and the fingerprint it must match. */
export interface DerivedKey {
  /** `<tool>:<sha256>`; the store namespaces it by server and environment. */
  key: string;
  fingerprint: string;
  fieldHashes: Record<string, string>;
  /** Where the key came from (the call log shows it). */
  origin: KeyOrigin;
}

/**
 * Derives the idempotency key on the server, never trusting the model to invent one:
 * a create from (tool, target, occurrence), an upsert from (tool, canonical arguments), or
 * (tool, `idempotency_key`) when the caller overrides. The fingerprint covers every
 * argument but the override, so the same key with other arguments is detected.
 */
export function deriveKey(
  tool: WriteToolDefinition<ObjectSchema, ObjectSchema>,
  args: Record<string, unknown>,
): DerivedKey {
  const { [KEY_OVERRIDE_ARG]: override, ...rest } = args;
  let material: unknown;
  let origin: KeyOrigin;
  if (typeof override === "string") {
    material = { tool: tool.name, key: override };
    origin = "idempotency_key";
  } else {
    const source = tool.idempotency.key(args);
    origin = "canonical" in source ? "arguments" : "occurrence";
    material =
      "canonical" in source
        ? { tool: tool.name, args: source.canonical }
        : { tool: tool.name, target: source.target, occurrence: source.occurrence };
  }
  const { fingerprint, fieldHashes } = fingerprintArgs(rest);
  return { key: `${tool.name}:${sha256Hex(canonicalJson(material))}`, fingerprint, fieldHashes, origin };
}
