// prom-client is the Prometheus client for Node: well kept, no native parts, the exposition
// format and process metrics done right, which we would otherwise hand-roll.
import { Counter, collectDefaultMetrics, Histogram, Registry } from "prom-client";
import type { IdempotencyStore } from "../idempotency/store.js";
import type { ToolCallLine } from "../tools/runtime.js";
import { registerCredentialMetrics, type SecretFiles } from "./credential-metrics.js";
import { registerStoreMetrics } from "./store-metrics.js";
import { registerUpstreamMetrics } from "./upstream-metrics.js";

/** Bucket bounds (seconds) of the call duration: sub-second reads up to the longest deadlines. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** The name, type and label names of one exported series (for the alert-rule check). */
export interface MetricDescription {
  name: string;
  type: string;
  labelNames: string[];
}

/** The Prometheus registry of one server process. */
export interface ServerMetrics {
  /** Feeds the tool-call series; pass as `ToolRuntime.onToolCall`. */
  observeToolCall(line: ToolCallLine): void;
  /** Counts an HTTP answer by route (`/mcp`, `/metrics`, `/healthz`, `other`) and status. */
  observeHttp(route: string, status: number): void;
  /** The same store, its calls timed, its caps and review queue followed. */
  instrumentStore(store: IdempotencyStore): IdempotencyStore;
  /** The cap limits of this run (`runtime.caps`), shown before the first claim. */
  setCapLimits(caps: Record<string, number>): void;
  /** The `<NAME>_FILE` secrets whose age is shown (`config.secrets.files`). */
  watchSecretFiles(files: SecretFiles): void;
  /** Every series registered, with `server` and `env` among the label names. */
  describe(): MetricDescription[];
  /** The `Content-Type` of {@link ServerMetrics.render}. */
  readonly contentType: string;
  /** Every series in the Prometheus text format. */
  render(): Promise<string>;
  /** Stops listening to the process's upstream events (tests that build several). */
  close(): void;
}

/** Options of {@link createServerMetrics}. */
export interface ServerMetricsOptions {
  /** The clock of the expiry and age gauges (tests); defaults to `Date.now`. */
  now?: () => number;
  /** Leave out the process default metrics (tests reading exact text). */
  processMetrics?: boolean;
}

/**
 * A registry of its own (never prom-client's global one, so two servers in one test process
 * do not collide) whose every series is labelled with `server` and `env`. The tool series come
 * from the call-log lines; the upstream, breaker and credential series from the events every
 * upstream client of the process publishes; the store series from the instrumented store. The
 * whole table is in the tool-kit README ("Metrics").
 */
export function createServerMetrics(
  labels: { server: string; env: string },
  options: ServerMetricsOptions = {},
): ServerMetrics {
  const registry = new Registry();
  registry.setDefaultLabels(labels);
  if (options.processMetrics !== false) collectDefaultMetrics({ register: registry });
  const calls = new Counter({
    name: "gtm_tool_calls_total",
    help: "Tool calls by tool, outcome (ok or the error code) and whether the result was replayed",
    labelNames: ["tool", "outcome", "replayed"] as const,
    registers: [registry],
  });
  const retried = new Counter({
    name: "gtm_tool_calls_retried_total",
    help: "Tool calls in which an upstream request was retried (divide by gtm_tool_calls_total for the retry rate)",
    labelNames: ["tool"] as const,
    registers: [registry],
  });
  const violations = new Counter({
    name: "gtm_tool_contract_violations_total",
    help: "Tool calls answered UPSTREAM_CONTRACT_VIOLATION: a vendor's answer drifted from its shape",
    labelNames: ["tool"] as const,
    registers: [registry],
  });
  const cache = new Counter({
    name: "gtm_cache_lookups_total",
    help: "Cache lookups made by tool calls, by tool and result (hit or miss)",
    labelNames: ["tool", "result"] as const,
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
  const unsubscribeUpstream = registerUpstreamMetrics(registry);
  const credentials = registerCredentialMetrics(registry, options.now ?? Date.now);
  const store = registerStoreMetrics(registry);
  return {
    observeToolCall(line) {
      const { tool } = line;
      calls.inc({ tool, outcome: line.outcome, replayed: String(line.replayed) });
      duration.observe({ tool }, line.durationMs / 1000);
      // Created at zero with the tool's first call, so the rates exist before the first event.
      retried.inc({ tool }, line.retried ? 1 : 0);
      violations.inc({ tool }, line.outcome === "UPSTREAM_CONTRACT_VIOLATION" ? 1 : 0);
      // The cache counts ride on the call-log line of tools that use a cache.
      const counts = line as { cacheHits?: unknown; cacheMisses?: unknown };
      if (typeof counts.cacheHits === "number") cache.inc({ tool, result: "hit" }, counts.cacheHits);
      if (typeof counts.cacheMisses === "number") cache.inc({ tool, result: "miss" }, counts.cacheMisses);
    },
    observeHttp(route, status) {
      http.inc({ route, status: String(status) });
    },
    instrumentStore: store.instrument,
    setCapLimits: store.setCapLimits,
    watchSecretFiles: credentials.watchSecretFiles,
    describe() {
      return registry.getMetricsAsArray().map((metric) => {
        // prom-client keeps these on every metric; its typings do not list them.
        const m = metric as unknown as { name: string; type: string; labelNames?: string[] };
        return { name: m.name, type: m.type, labelNames: [...Object.keys(labels), ...(m.labelNames ?? [])] };
      });
    },
    contentType: registry.contentType,
    render: () => registry.metrics(),
    close() {
      unsubscribeUpstream();
      credentials.unsubscribe();
    },
  };
}
