// The public surface of `@gtm-mcp/tool-kit/errors`. Any export added here is public API;
// use named exports, not wildcards.
export { bounded } from "./bounded.js";
export { ERROR_CODE_LIST, ERROR_CODES, type ErrorCode, isErrorCode, isRetryable } from "./codes.js";
export { type EnvelopeContext, type ErrorEnvelope, toErrorEnvelope, toToolError } from "./envelope.js";
export {
  isToolError,
  type SideEffect,
  ToolError,
  type ToolErrorOptions,
  type UpstreamInfo,
} from "./tool-error.js";
