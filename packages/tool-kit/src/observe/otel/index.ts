// Loaded only by a dynamic import from the start-up when an OTLP endpoint is configured
// (`src/server/tracing.ts`): with tracing off, not one OpenTelemetry module is read.
import { type DiagLogger, DiagLogLevel, diag } from "@opentelemetry/api";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { defaultResource, resourceFromAttributes } from "@opentelemetry/resources";
import { BatchSpanProcessor, TracerProvider } from "@opentelemetry/sdk-trace";
import type { CallTracer } from "../../core/call-tracer.js";
import { createOtelCallTracer } from "./otel-call-tracer.js";
import { resourceAttributes, type ServiceIdentity } from "./resource-attributes.js";
import { samplerFromEnv } from "./sampler.js";

export { keyHash, parentContext } from "./otel-call-tracer.js";
export { parseResourceAttributes, resourceAttributes } from "./resource-attributes.js";
export { samplerFromEnv } from "./sampler.js";

/** Where warnings of the OpenTelemetry SDK (an export that failed) go: the server's logger. */
export interface TracingLog {
  warn(fields: Record<string, unknown>, message: string): void;
}

/** What {@link startOtelTracing} needs. */
export interface OtelTracingOptions extends ServiceIdentity {
  /** The OTLP/HTTP traces URL (`…/v1/traces`). */
  url: string;
  /** The process environment the server was started with (resource attributes). */
  processEnv: NodeJS.ProcessEnv;
  logger?: TracingLog;
  /** Delay between batch exports; default 5 s (the SDK's). Tests shorten it. */
  scheduledDelayMs?: number;
}

/** Tracing on: the tracer the runtime carries, and the shutdown that flushes what is left. */
export interface OtelTracing {
  tracer: CallTracer;
  /** Exports the spans still queued and stops; never rejects. */
  shutdown(): Promise<void>;
}

/**
 * Starts tracing for one server process: a tracer provider with the server's resource, a
 * batch span processor exporting OTLP over HTTP (JSON) to `url`, and the call tracer over it.
 * Nothing is registered globally (no global provider, propagator or context manager): the
 * call tracer passes contexts explicitly, so two servers in one process stay apart.
 * `OTEL_EXPORTER_OTLP_HEADERS` / `_TIMEOUT` are read by the exporter from `process.env`.
 */
export function startOtelTracing(options: OtelTracingOptions): OtelTracing {
  if (options.logger)
    diag.setLogger(diagLogger(options.logger), {
      logLevel: DiagLogLevel.WARN,
      suppressOverrideMessage: true,
    });
  const provider = new TracerProvider({
    sampler: samplerFromEnv(options.processEnv, (text) => options.logger?.warn({}, text)),
    resource: defaultResource().merge(
      resourceFromAttributes(resourceAttributes(options, options.processEnv)),
    ),
    spanProcessors: [
      new BatchSpanProcessor({
        exporter: new OTLPTraceExporter({ url: options.url }),
        ...(options.scheduledDelayMs === undefined ? {} : { scheduledDelayMillis: options.scheduledDelayMs }),
      }),
    ],
  });
  const tracer = createOtelCallTracer(provider.getTracer("@gtm-mcp/tool-kit", options.version), {
    server: options.server,
    env: options.env,
  });
  let stopping: Promise<void> | undefined;
  return {
    tracer,
    shutdown() {
      stopping ??= (async () => {
        tracer.close();
        await provider.shutdown().catch((error: unknown) => {
          options.logger?.warn({ reason: shortReason(error) }, "spans could not be exported at shutdown");
        });
      })();
      return stopping;
    },
  };
}

/** The same SDK warning is logged once a minute at most: a collector that is down fails every batch. */
const REPEAT_AFTER_MS = 60_000;

/**
 * The SDK's diagnostics as log lines (stderr): its errors and warnings only, each as one short
 * reason. The SDK hands a failed export over as the error's JSON, stack included: only its
 * message and code are kept.
 */
function diagLogger(logger: TracingLog, now: () => number = Date.now): DiagLogger {
  const last = new Map<string, number>();
  const warn = (message: string, ...args: unknown[]) => {
    const reason = [message, ...args].map(shortReason).join(" ").trim();
    const at = now();
    if ((last.get(reason) ?? Number.NEGATIVE_INFINITY) > at - REPEAT_AFTER_MS) return;
    last.set(reason, at);
    if (last.size > 100) last.clear();
    logger.warn({ reason }, "opentelemetry: spans not exported or SDK warning");
  };
  const none = () => undefined;
  return { error: warn, warn, info: none, debug: none, verbose: none };
}

/** One value of a diagnostic as a short text: an error's (or serialised error's) message and code, never its stack. */
export function shortReason(value: unknown): string {
  let parsed: unknown = value;
  if (typeof value === "string" && value.trimStart().startsWith("{")) {
    try {
      parsed = JSON.parse(value);
    } catch {
      parsed = value;
    }
  }
  if (parsed !== null && typeof parsed === "object") {
    const { message, code } = parsed as { message?: unknown; code?: unknown };
    const text = typeof message === "string" ? message : "";
    return typeof code === "string" && !text.includes(code) ? `${text} (${code})` : text;
  }
  return String(parsed).split("\n")[0] ?? "";
}
