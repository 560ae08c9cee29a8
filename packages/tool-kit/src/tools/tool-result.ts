import type { CallToolResult } from "@modelcontextprotocol/server";
import type { ErrorEnvelope } from "../errors/index.js";

/** A successful result: the structured output and the same JSON as text. */
export function successResult(structured: Record<string, unknown>): CallToolResult {
  return {
    content: [{ type: "text", text: JSON.stringify(structured) }],
    structuredContent: structured,
  };
}

/**
 * A failed result: `isError`, the envelope as the JSON text, and in `_meta`. Never
 * `structuredContent`: strict clients validate it against the output schema.
 */
export function errorResult(envelope: ErrorEnvelope): CallToolResult {
  return {
    isError: true,
    content: [{ type: "text", text: JSON.stringify(envelope) }],
    _meta: { error: envelope.error },
  };
}
