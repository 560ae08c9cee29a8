// The public surface of `@gtm-mcp/tool-kit/server`. Any export added here is public API;
// use named exports, not wildcards.
export { buildRuntime, type RuntimeOptions } from "./build-runtime.js";
export {
  type RunOptions,
  runMain,
  type ServerMain,
  type StartContext,
  type StartedServer,
} from "./run-main.js";
