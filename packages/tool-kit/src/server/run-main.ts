import type { Server } from "@modelcontextprotocol/server";
import {
  ConfigError,
  type LoadedConfig,
  loadConfig,
  loadHttpConfig,
  parseCli,
  renderHelp,
  StartupError,
  type VarSpecs,
} from "../config/index.js";
import type { Logger } from "../logging/index.js";
import type { ToolRuntime } from "../tools/runtime.js";
import { buildRuntime } from "./build-runtime.js";
import { createServerMetrics } from "./metrics.js";
import { type ServingTransport, startHttp, startStdio } from "./serving-transport.js";

/** How long shutdown waits for calls in flight (and their answers) before closing anyway. */
const DRAIN_TIMEOUT_MS = 10_000;

/** How long answers get to go out once the calls are done (or the drain gave up). */
const FLUSH_MIN_MS = 250;

/** What a server's start module (`run.ts`, imported by `main.ts` after the Node check) declares. */
export interface ServerMain<S extends VarSpecs> {
  /** Short name: `crm`. */
  name: string;
  /** The executable's name: `gtm-mcp-crm`. */
  binary: string;
  version: string;
  description: string;
  vars: S;
  hasWriteTools: boolean;
  /** Limits of the server's own caps from its configuration (sends, credits). */
  caps?(config: LoadedConfig<S>): Record<string, number>;
  /**
   * Builds the server's dependencies (vendor client, identity check) and returns the
   * server factory. Throw `StartupError` to refuse to start with one clear line.
   */
  start(context: StartContext<S>): Promise<StartedServer>;
}

/** What `start` gets. */
export interface StartContext<S extends VarSpecs> {
  config: LoadedConfig<S>;
  runtime: ToolRuntime;
  logger: Logger;
}

/** What `start` returns. */
export interface StartedServer {
  createServer(): Server;
  /** Releases the server's own resources (connection pools) at shutdown. */
  close?(): Promise<void>;
}

/** Options for tests and embedding. */
export interface RunOptions {
  argv?: readonly string[];
  env?: NodeJS.ProcessEnv;
  /** Where human-facing lines (help, version, config errors) go; defaults to stdout/stderr by kind. */
  exit?: (code: number) => void;
}

/**
 * The whole life of a server process: flags → config → runtime → deps → transport → signals.
 * The transport is stdio, or Streamable HTTP with `--http` (`GTM_HTTP_*`; see `serveHttp`).
 * `--help` and `--version` print to stdout and exit 0 (no protocol is running then). A
 * configuration or startup problem (HTTP without tokens included) prints one line on stderr
 * and exits 2, with no stack trace. SIGINT/SIGTERM (and, over stdio, the client closing
 * stdin) stop taking new work, let calls in flight finish and their answers go out, close
 * the store and vendor connections, and exit 0. SIGHUP re-reads `_FILE` secrets (HTTP
 * tokens included). Every tool call feeds the metrics (`/metrics` over HTTP).
 */
export async function runMain<S extends VarSpecs>(
  main: ServerMain<S>,
  options: RunOptions = {},
): Promise<void> {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const fail = (message: string) => {
    process.stderr.write(`${main.binary}: ${message}\n`);
    exit(2);
  };

  let runtime: ToolRuntime | undefined;
  try {
    const cli = parseCli(options.argv ?? process.argv.slice(2));
    if (cli.help) {
      process.stdout.write(
        renderHelp({ binary: main.binary, description: main.description, vars: main.vars }),
      );
      return exit(0);
    }
    if (cli.version) {
      process.stdout.write(`${main.binary} ${main.version}\n`);
      return exit(0);
    }
    const env = options.env ?? process.env;
    const config = loadConfig(main.vars, env);
    // Read before anything connects, so a missing token stops the server like any bad value.
    const http = cli.http ? loadHttpConfig(env, config.secrets, config.common.env) : undefined;
    const metrics = createServerMetrics({ server: main.name, env: config.common.env });
    const built = await buildRuntime(config, {
      server: { name: main.name, version: main.version },
      caps: main.caps?.(config) ?? {},
      hasWriteTools: main.hasWriteTools,
      onToolCall: metrics.observeToolCall,
    });
    runtime = built.runtime;
    const { logger } = built;
    const started = await main.start({ config, runtime, logger });
    let transport: ServingTransport;
    try {
      transport = http
        ? await startHttp(() => started.createServer(), {
            config: http,
            logger,
            metrics,
            store: runtime.store,
          })
        : startStdio(() => started.createServer(), logger);
    } catch (error) {
      await started.close?.().catch(() => undefined);
      throw error;
    }
    let stopping = false;
    const shutdown = async (reason: string) => {
      if (stopping) return;
      stopping = true;
      const inflight = runtime?.tracker?.inflight ?? 0;
      logger.info({ reason, inflight }, "shutting down");
      const deadline = Date.now() + DRAIN_TIMEOUT_MS;
      transport.stopAccepting();
      const drained = (await runtime?.tracker?.drain(DRAIN_TIMEOUT_MS)) ?? true;
      if (!drained) logger.warn("calls still in flight after the drain timeout; closing anyway");
      await transport.close(Math.max(FLUSH_MIN_MS, deadline - Date.now())).catch((error: unknown) => {
        logger.warn({ err: error }, "transport did not close cleanly");
      });
      await Promise.allSettled([started.close?.(), runtime?.store?.close()]);
      exit(0);
    };
    process.once("SIGINT", () => void shutdown("SIGINT"));
    process.once("SIGTERM", () => void shutdown("SIGTERM"));
    // Over HTTP stdin means nothing (it may be closed from the start, as under a supervisor).
    if (!http) process.stdin.once("end", () => void shutdown("stdin closed"));
    process.on("SIGHUP", () => {
      config.secrets.reload().then(
        ({ changed, failed }) => {
          logger.info({ changed }, "secrets re-read");
          // Each keeps its previous value; the problem names the file, never a value.
          if (failed.length > 0) logger.error({ failed }, "could not re-read some secrets");
        },
        (error: unknown) => logger.error({ err: error }, "could not re-read secrets"),
      );
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
  } catch (error) {
    await runtime?.store?.close().catch(() => undefined);
    if (error instanceof ConfigError) return fail(`configuration error: ${error.message}`);
    if (error instanceof StartupError)
      return fail(`refusing to start: ${runtime ? runtime.scrubber.text(error.message) : error.message}`);
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(
      `${main.binary}: failed to start: ${runtime ? runtime.scrubber.text(message) : message}\n`,
    );
    exit(1);
  }
}
