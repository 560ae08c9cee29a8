// The public surface of `@gtm-mcp/tool-kit/tools`: what a server needs to declare its tools
// and build its MCP server. Any export added here is public API; use named exports, not
// wildcards. The pipeline's pieces (compiling, running a call, results, validation, keys,
// the call tracker) are internal: a server reaches them only through `createToolServer`.
export { type CallStats, noteCacheLookup } from "../core/call-scope.js";
export type { CallTracer, TracedCall, TracedCallLine } from "../core/call-tracer.js";
export { createStateSeal, type StateSeal } from "../core/state-seal.js";
export type { UntrackedReason } from "./call-tracker.js";
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
  type ElicitationBinding,
  type ElicitationChannel,
  type ElicitationRefusal,
  ElicitationRefused,
  type ElicitationRequest,
  elicitationChannel,
  InputRequiredSignal,
} from "./elicitation.js";
export { mapBounded } from "./map-bounded.js";
export {
  type AbortReason,
  type ProgressChannel,
  type ProgressReporter,
  type ProgressUpdate,
  progressReporter,
} from "./progress.js";
export {
  clipMarker,
  DEFAULT_RESULT_BUDGET_CHARS,
  type FittedResult,
  fitResultBudget,
} from "./result-budget.js";
export type { GtmEnv, IdempotencySettings, ToolCallLine, ToolRuntime } from "./runtime.js";
