import type { CallToolResult } from "@modelcontextprotocol/server";
import { ToolError, toErrorEnvelope } from "../errors/index.js";
import type { UntrackedReason } from "./call-tracker.js";
import type { ToolKind } from "./define-tool.js";
import { errorResult } from "./tool-result.js";

/**
 * The answer to a call the server will not finish because it is shutting down (retryable):
 * - not started (`stopping`): `UPSTREAM_UNAVAILABLE`, nothing was done;
 * - a read still running at the drain limit: `UPSTREAM_TIMEOUT`, nothing was changed;
 * - a write still running at the drain limit: `OUTCOME_UNKNOWN` with `sideEffect: "unknown"`
 *   (it may have reached the vendor); its key is marked unknown before the store closes, so
 *   the next identical call reconciles with the vendor and never writes twice.
 */
export function shutdownResult(kind: ToolKind, why: UntrackedReason): CallToolResult {
  const retry = { retryAfterMs: 1_000 };
  const error =
    why === "stopping"
      ? new ToolError(
          "UPSTREAM_UNAVAILABLE",
          "The server is shutting down; nothing was done. Retry shortly.",
          retry,
        )
      : kind === "read"
        ? new ToolError(
            "UPSTREAM_TIMEOUT",
            "The server shut down before this call finished; nothing was changed. Retry shortly.",
            retry,
          )
        : new ToolError(
            "OUTCOME_UNKNOWN",
            "The server shut down while this write was running; it may have reached the vendor. Retry: the same call checks what happened before acting again.",
            { ...retry, sideEffect: "unknown" },
          );
  return errorResult(toErrorEnvelope(error));
}
