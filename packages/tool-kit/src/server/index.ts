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
export { type AccessPolicy, type AccessRefusal, createAccessCheck, loopbackHosts } from "./http-access.js";
export { createServerMetrics, type ServerMetrics } from "./metrics.js";
export {
  type RunOptions,
  runMain,
  type ServerMain,
  type StartContext,
  type StartedServer,
} from "./run-main.js";
export { DEFAULT_MAX_BODY_BYTES, type HttpServeOptions, type HttpServing, serveHttp } from "./serve-http.js";
