// The public surface of `@gtm-mcp/tool-kit/testing`: helpers for the servers' tests. Any
// export added here is public API; use named exports, not wildcards.

export { type BearerProxy, startBearerProxy } from "./bearer-proxy.js";
export {
  type ConformanceCheck,
  type ConformanceOptions,
  type ConformanceResult,
  runConformance,
  type ServerUnderTest,
  TOOLS_ONLY_SCENARIOS,
} from "./conformance.js";
export { type ConnectClientOptions, type ConnectedClient, connectClient } from "./connect-client.js";
export {
  type MockMatch,
  type MockReply,
  type MockRoute,
  type MockVendor,
  mockVendor,
  type RecordedCall,
} from "./mock-vendor.js";
export { findOldNode, type OldNode } from "./old-node.js";
export {
  type CollectedSpan,
  decodeTraces,
  type OtlpCollector,
  type SpanAttributeValue,
  startOtlpCollector,
} from "./otlp-collector.js";
export { type RedisServerHandle, type StartRedisServerOptions, startRedisServer } from "./redis-server.js";
export { type ProcessExit, type RunToExitOptions, runToExit } from "./run-to-exit.js";
export {
  type HttpAnswer,
  type HttpRequestOptions,
  sendHttpRequest,
} from "./send-http-request.js";
export {
  type SpawnedHttpServer,
  type SpawnHttpServerOptions,
  spawnHttpServer,
} from "./spawn-http-server.js";
export {
  type CallToolResult,
  readErrorEnvelope,
  type SpawnedStdioServer,
  type SpawnStdioServerOptions,
  spawnStdioServer,
  type ToolCallError,
  type ToolCallOutcome,
} from "./spawn-stdio-server.js";
export {
  type HttpStub,
  type StubHandler,
  type StubReply,
  type StubRequest,
  startHttpStub,
  stubRoutes,
} from "./start-http-stub.js";
export { createTestRuntime, type TestRuntime, type TestRuntimeOptions } from "./test-runtime.js";
export { waitFor } from "./wait-for.js";
