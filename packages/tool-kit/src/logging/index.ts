// The public surface of `@gtm-mcp/tool-kit/logging`. Any export added here is public API;
// use named exports, not wildcards.
export { createLineWriter, type LineWriterOptions } from "./line-writer.js";
export { boundForLog, cutText, LOG_BOUNDS } from "./log-bounds.js";
export { createLogger, type Logger, type LoggerOptions } from "./logger.js";
export { createScrubber, isSecretKey, REDACTED, type Scrubber } from "./scrubber.js";
