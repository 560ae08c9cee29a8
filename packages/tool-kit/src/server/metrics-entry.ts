// The public surface of `@gtm-mcp/tool-kit/metrics`: the Prometheus registry of a server
// process. Its own subpath, so that importing `@gtm-mcp/tool-kit/server` (every server's entry)
// does not load prom-client: `runMain` loads it only when metrics can be read (`--http`).
export {
  createServerMetrics,
  type MetricDescription,
  type ServerMetrics,
  type ServerMetricsOptions,
} from "./metrics.js";
export { REVIEW_COUNT_MAX } from "./store-metrics.js";
export { statusClass } from "./upstream-metrics.js";
