import { isToolError, ToolError } from "@gtm-mcp/tool-kit/errors";

/**
 * Rethrows `thrown`, replacing HubSpot's NOT_FOUND by one that says what was missing in the
 * caller's terms and names the input field at fault.
 *
 * @throws ToolError NOT_FOUND (with `field`), or `thrown` itself.
 */
export function rethrowNotFound(thrown: unknown, message: string, field: string): never {
  if (isToolError(thrown) && thrown.code === "NOT_FOUND") {
    throw new ToolError("NOT_FOUND", message, {
      field,
      sideEffect: thrown.sideEffect,
      ...(thrown.upstream ? { upstream: thrown.upstream } : {}),
    });
  }
  throw thrown;
}
