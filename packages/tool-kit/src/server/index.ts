// The public surface of `@gtm-mcp/tool-kit/server`. Any export added here is public API;
// use named exports, not wildcards.
export {
  AUTH_REALM,
  type BearerCheck,
  type BearerVerifier,
  bearerChallenge,
  createBearerVerifier,
  matchesAny,
} from "./bearer-auth.js";
export { type BuiltRuntime, buildRuntime, type RuntimeOptions } from "./build-runtime.js";
export { DEFAULT_MAX_CONCURRENT_PER_CLIENT } from "./client-limiter.js";
export { type AccessPolicy, type AccessRefusal, createAccessCheck, loopbackHosts } from "./http-access.js";
export { MAX_JSON_DEPTH, nestsDeeperThan, topLevelId } from "./json-depth.js";
export type { MetricDescription, ServerMetrics, ServerMetricsOptions } from "./metrics.js";
export { runMain } from "./run-main.js";
export {
  DEFAULT_HTTP_TIMEOUTS,
  DEFAULT_MAX_BODY_BYTES,
  type HealthStore,
  type HttpServeOptions,
  type HttpServing,
  type HttpTimeouts,
  serveHttp,
} from "./serve-http.js";
export type { RunOptions, ServerMain, StartContext, StartedServer } from "./server-main.js";
export {
  createShutdown,
  DEFAULT_SHUTDOWN_TIMINGS,
  type ShutdownParts,
  type ShutdownReport,
  type ShutdownTimings,
} from "./shutdown.js";
export { startTracing, type Tracing, type TracingOptions, tracesUrl } from "./tracing.js";
