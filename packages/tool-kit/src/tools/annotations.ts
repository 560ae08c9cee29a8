import type { ToolAnnotations } from "@modelcontextprotocol/server";
import type { AnyTool } from "./define-tool.js";

/**
 * Annotations derived from the tool's kind and its declared hints. A read tool is
 * read-only; a write tool is not, and is destructive unless it says otherwise (MCP's
 * default for a non-read-only tool). Every tool is idempotent: writes through their keys. Every tool talks to a vendor
 * (`openWorldHint`) unless it says otherwise.
 */
export function annotationsOf(tool: AnyTool): ToolAnnotations {
  const openWorldHint = tool.hints?.openWorldHint ?? true;
  if (tool.kind === "read") {
    return {
      title: tool.title,
      readOnlyHint: true,
      destructiveHint: false,
      idempotentHint: true,
      openWorldHint,
    };
  }
  return {
    title: tool.title,
    readOnlyHint: false,
    destructiveHint: tool.hints?.destructiveHint ?? true,
    // True for every write: the same arguments derive the same key, and a repeated call
    // replays the first result instead of acting again (within the retention window).
    idempotentHint: true,
    openWorldHint,
  };
}
