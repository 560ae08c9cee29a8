import { ConfigError } from "../config/index.js";
import type { CallTracer } from "../core/call-tracer.js";

/** Tracing as the start-up and shutdown see it. */
export interface Tracing {
  tracer: CallTracer;
  /** Exports the spans still queued; never rejects. */
  shutdown(): Promise<void>;
}

/** What {@link startTracing} needs. */
export interface TracingOptions {
  server: string;
  version: string;
  /** `GTM_ENV`. */
  gtmEnv: string;
  /** The environment the server was started with. */
  env: NodeJS.ProcessEnv;
  logger?: { warn(fields: Record<string, unknown>, message: string): void };
  /** Delay between batch exports (tests); default 5 s. */
  scheduledDelayMs?: number;
}

/**
 * The OTLP/HTTP traces URL, or undefined when tracing is off: `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`
 * as given, else `OTEL_EXPORTER_OTLP_ENDPOINT` + `/v1/traces` (the specification's rule);
 * off when neither is set, `OTEL_SDK_DISABLED=true`, or `OTEL_TRACES_EXPORTER=none`.
 *
 * @throws ConfigError when the endpoint is not an http(s) URL.
 */
export function tracesUrl(env: NodeJS.ProcessEnv): string | undefined {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === "true") return undefined;
  if (env.OTEL_TRACES_EXPORTER?.trim().toLowerCase() === "none") return undefined;
  const traces = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  const [name, url] = traces
    ? ["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", traces]
    : base
      ? ["OTEL_EXPORTER_OTLP_ENDPOINT", `${base.replace(/\/+$/, "")}/v1/traces`]
      : [undefined, undefined];
  if (name === undefined || url === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError(name, "must be the http(s) URL of an OTLP/HTTP collector");
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:")
    throw new ConfigError(name, "must be the http(s) URL of an OTLP/HTTP collector");
  return url;
}

/**
 * Starts OpenTelemetry tracing when an OTLP endpoint is configured (see {@link tracesUrl}),
 * importing the OpenTelemetry packages only then: with tracing off this resolves undefined and
 * not one of them is loaded (no start-up time, no memory).
 *
 * @throws ConfigError for an endpoint that is not a URL.
 */
export async function startTracing(options: TracingOptions): Promise<Tracing | undefined> {
  const url = tracesUrl(options.env);
  if (url === undefined) return undefined;
  const { startOtelTracing } = await import("../observe/otel/index.js");
  return startOtelTracing({
    url,
    server: options.server,
    version: options.version,
    env: options.gtmEnv,
    processEnv: options.env,
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.scheduledDelayMs === undefined ? {} : { scheduledDelayMs: options.scheduledDelayMs }),
  });
}
