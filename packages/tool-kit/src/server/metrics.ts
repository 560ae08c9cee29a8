// prom-client is the Prometheus client for Node: well kept, no native parts, the exposition
// format and process metrics done right, which we would otherwise hand-roll.
import { Counter, collectDefaultMetrics, Histogram, Registry } from "prom-client";
import type { ToolCallLine } from "../tools/runtime.js";

/** Bucket bounds (seconds) of the call duration: sub-second reads up to the longest deadlines. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** The Prometheus registry of one server process. */
export interface ServerMetrics {
  /** Feeds the tool-call series; pass as `ToolRuntime.onToolCall`. */
  observeToolCall(line: ToolCallLine): void;
  /** Counts an HTTP answer by route (`/mcp`, `/metrics`, `/healthz`, `other`) and status. */
  observeHttp(route: string, status: number): void;
  /** The `Content-Type` of {@link ServerMetrics.render}. */
  readonly contentType: string;
  /** Every series in the Prometheus text format. */
  render(): Promise<string>;
}

/**
 * A registry of its own (never prom-client's global one, so two servers in one test process
 * do not collide) whose every series is labelled with `server` and `env`:
 * `gtm_tool_calls_total{tool,outcome,replayed}`, `gtm_tool_call_duration_seconds{tool}`,
 * `gtm_http_requests_total{route,status}` and the process default metrics.
 */
export function createServerMetrics(labels: { server: string; env: string }): ServerMetrics {
  const registry = new Registry();
  registry.setDefaultLabels(labels);
  collectDefaultMetrics({ register: registry });
  const calls = new Counter({
    name: "gtm_tool_calls_total",
    help: "Tool calls by tool, outcome (ok or the error code) and whether the result was replayed",
    labelNames: ["tool", "outcome", "replayed"] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: "gtm_tool_call_duration_seconds",
    help: "Duration of tool calls, validation to result",
    labelNames: ["tool"] as const,
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  const http = new Counter({
    name: "gtm_http_requests_total",
    help: "HTTP requests answered, by route and status (401 and 403 are refused clients)",
    labelNames: ["route", "status"] as const,
    registers: [registry],
  });
  return {
    observeToolCall(line) {
      calls.inc({ tool: line.tool, outcome: line.outcome, replayed: String(line.replayed) });
      duration.observe({ tool: line.tool }, line.durationMs / 1000);
    },
    observeHttp(route, status) {
      http.inc({ route, status: String(status) });
    },
    contentType: registry.contentType,
    render: () => registry.metrics(),
  };
}
