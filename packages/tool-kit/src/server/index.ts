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
export { buildRuntime, type RuntimeOptions } from "./build-runtime.js";
export { DEFAULT_MAX_CONCURRENT_PER_CLIENT } from "./client-limiter.js";
export { type AccessPolicy, type AccessRefusal, createAccessCheck, loopbackHosts } from "./http-access.js";
export { MAX_JSON_DEPTH, nestsDeeperThan } from "./json-depth.js";
export { createServerMetrics, type ServerMetrics } from "./metrics.js";
export {
  type RunOptions,
  runMain,
  type ServerMain,
  type StartContext,
  type StartedServer,
} from "./run-main.js";
export {
  DEFAULT_HTTP_TIMEOUTS,
  DEFAULT_MAX_BODY_BYTES,
  type HealthStore,
  type HttpServeOptions,
  type HttpServing,
  type HttpTimeouts,
  serveHttp,
} from "./serve-http.js";
