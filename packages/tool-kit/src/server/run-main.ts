import type { VarSpecs } from "../config/index.js";
import type { ServerMetrics } from "./metrics.js";
import { NO_METRICS } from "./no-metrics.js";
import { installSignalHandlers, routeWarningsToLog } from "./process-hooks.js";
import type { RunOptions, ServerMain } from "./server-main.js";
import { createShutdown } from "./shutdown.js";
import {
  loadSettings,
  openRuntime,
  type Refusal,
  readCommandLine,
  refusalOf,
  startServing,
} from "./startup-steps.js";
import { startTracing, type Tracing } from "./tracing.js";

export type { RunOptions, ServerMain, StartContext, StartedServer } from "./server-main.js";

/**
 * The whole life of a server process, in named steps: command line → settings → runtime →
 * server and transport → process hooks → serving; then, on a signal, the shutdown sequence
 * (see `createShutdown`). The transport is stdio, or Streamable HTTP with `--http`
 * (`GTM_HTTP_*`; see `serveHttp`). `--help` and `--version` print to stdout and exit 0 (no
 * protocol is running then). A configuration or start-up problem (HTTP without tokens
 * included) prints one line on stderr and exits 2 (1 for an unexpected failure), with no stack
 * trace. Every tool call feeds the metrics (`/metrics` over HTTP), and with an OTLP endpoint
 * configured (`OTEL_EXPORTER_OTLP_ENDPOINT`) the traces (see `startTracing`).
 */
export async function runMain<S extends VarSpecs>(
  main: ServerMain<S>,
  options: RunOptions = {},
): Promise<void> {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const refuse = (refusal: Refusal) => {
    process.stderr.write(`${refusal.line}\n`);
    exit(refusal.exitCode);
  };

  const command = readCommandLine(main as ServerMain<VarSpecs>, options.argv ?? process.argv.slice(2));
  if (!command.ok) return refuse(command.refusal);
  if (command.value.kind === "print") {
    process.stdout.write(command.value.text);
    return exit(0);
  }

  const settings = loadSettings(main, options.env ?? process.env, command.value.http);
  if (!settings.ok) return refuse(settings.refusal);
  const { config } = settings.value;
  const metrics = await metricsFor(settings.value.http !== undefined, {
    server: main.name,
    env: config.common.env,
  });

  const built = await openRuntime(main, settings.value, metrics);
  if (!built.ok) return refuse(built.refusal);
  const { runtime, logger, heldKeys } = built.value;

  // Only with an OTLP endpoint configured are the OpenTelemetry packages even loaded.
  let tracing: Tracing | undefined;
  try {
    tracing = await startTracing({
      server: main.name,
      version: main.version,
      gtmEnv: config.common.env,
      env: options.env ?? process.env,
      logger,
    });
  } catch (error) {
    await runtime.store?.close().catch(() => undefined);
    return refuse(refusalOf(main.binary, error, runtime.scrubber.text));
  }
  if (tracing) runtime.tracer = tracing.tracer;

  const serving = await startServing(main, settings.value, built.value, metrics);
  if (!serving.ok) {
    await Promise.allSettled([runtime.store?.close(), tracing?.shutdown()]);
    return refuse(serving.refusal);
  }
  const { started, transport } = serving.value;

  routeWarningsToLog(logger);
  const shutdown = createShutdown({
    runtime,
    logger,
    transport,
    heldKeys,
    closeServer: started.close ? () => started.close?.() ?? Promise.resolve() : undefined,
    ...(tracing ? { closeTracing: tracing.shutdown } : {}),
    exit,
    ...(options.shutdown ? { timings: options.shutdown } : {}),
  });
  installSignalHandlers({
    shutdown,
    secrets: config.secrets,
    logger,
    stdio: settings.value.http === undefined,
  });

  // Announced only once every signal has its handler: a signal sent on seeing this line
  // must not meet the default action (SIGHUP and SIGTERM would end the process).
  logger.info(
    {
      writesEnabled: runtime.writesEnabled,
      store: runtime.store?.kind ?? "none",
      version: main.version,
      ...transport.details,
    },
    `${main.binary} serving MCP over ${transport.where}`,
  );
}

/**
 * Over HTTP, the Prometheus registry `/metrics` serves; over stdio, where nothing can scrape
 * it, none (prom-client is not even loaded: a faster start and a smaller process).
 */
async function metricsFor(http: boolean, labels: { server: string; env: string }): Promise<ServerMetrics> {
  if (!http) return NO_METRICS;
  const { createServerMetrics } = await import("./metrics.js");
  return createServerMetrics(labels);
}
