// The public surface of `@gtm-mcp/tool-kit/tools`. Any export added here is public API;
// use named exports, not wildcards.
export { annotationsOf } from "./annotations.js";
export { type CallStats, newCallStats } from "./call-stats.js";
export type { UntrackedReason } from "./call-tracker.js";
export { type CompiledTool, compileTool } from "./compile-tool.js";
export { createToolServer, type ToolServerOptions } from "./create-tool-server.js";
export {
  type AnyTool,
  defineTool,
  type KeySource,
  type ObjectSchema,
  type ReadToolDefinition,
  type ToolContext,
  type ToolDefinition,
  type ToolHints,
  type ToolKind,
  type WriteToolDefinition,
} from "./define-tool.js";
export {
  createElicit,
  type Elicit,
  type ElicitationChannel,
  type ElicitationRefusal,
  ElicitationRefused,
  type ElicitationRequest,
  elicitationChannel,
  InputRequiredSignal,
} from "./elicitation.js";
export { type DerivedKey, deriveKey, KEY_OVERRIDE_ARG } from "./idempotency-key.js";
export {
  type AbortReason,
  type ProgressChannel,
  type ProgressReporter,
  type ProgressUpdate,
  progressReporter,
} from "./progress.js";
export { runToolCall } from "./run-tool-call.js";
export {
  CallTracker,
  DEFAULT_DEADLINE_MS,
  DEFAULT_IDEMPOTENCY,
  type GtmEnv,
  type IdempotencySettings,
  type ToolCallLine,
  type ToolRuntime,
} from "./runtime.js";
export { shutdownResult } from "./shutdown-result.js";
export { errorResult, successResult } from "./tool-result.js";
export { toJsonPath, validateInput } from "./validate-input.js";
