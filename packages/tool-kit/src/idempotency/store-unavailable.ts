import { ToolError } from "../errors/index.js";

/**
 * The error every store method throws when the store cannot be reached in time:
 * `STORE_UNAVAILABLE`, retryable, no side effect. The cause is kept for the log only.
 */
export function storeUnavailable(kind: "redis" | "sqlite", operation: string, cause?: unknown): ToolError {
  return new ToolError(
    "STORE_UNAVAILABLE",
    `The idempotency store (${kind}) is unavailable (${operation}); writes are refused until it is back.`,
    cause === undefined ? {} : { cause },
  );
}
