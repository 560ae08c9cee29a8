// The public surface of `@gtm-mcp/tool-kit/logging`. Any export added here is public API;
// use named exports, not wildcards.
export { createLogger, type Logger, type LoggerOptions } from "./logger.js";
export { createScrubber, isSecretKey, REDACTED, type Scrubber } from "./scrubber.js";
