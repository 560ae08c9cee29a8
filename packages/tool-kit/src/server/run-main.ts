import type { Server } from "@modelcontextprotocol/server";
import { serveStdio } from "@modelcontextprotocol/server/stdio";
import {
  ConfigError,
  type LoadedConfig,
  loadConfig,
  parseCli,
  renderHelp,
  StartupError,
  type VarSpecs,
} from "../config/index.js";
import type { Logger } from "../logging/index.js";
import type { ToolRuntime } from "../tools/runtime.js";
import { buildRuntime } from "./build-runtime.js";

/** How long shutdown waits for calls in flight before closing anyway. */
const DRAIN_TIMEOUT_MS = 10_000;

/** What a server's `main.ts` declares. */
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
 * The whole life of a server process: flags → config → runtime → deps → stdio → signals.
 * `--help` and `--version` print to stdout and exit 0 (no protocol is running then). A
 * configuration or startup problem prints one line on stderr and exits 2, with no stack
 * trace. SIGINT/SIGTERM (and the client closing stdin) let calls in flight finish, close
 * the store and vendor connections, and exit 0. SIGHUP re-reads `_FILE` secrets.
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
    const config = loadConfig(main.vars, options.env ?? process.env);
    const built = await buildRuntime(config, {
      server: { name: main.name, version: main.version },
      caps: main.caps?.(config) ?? {},
      hasWriteTools: main.hasWriteTools,
    });
    runtime = built.runtime;
    const { logger } = built;
    const started = await main.start({ config, runtime, logger });
    const handle = serveStdio(() => started.createServer(), {
      onerror: (error) => logger.warn({ err: error }, "transport error"),
    });
    logger.info(
      { writesEnabled: runtime.writesEnabled, store: runtime.store?.kind ?? "none", version: main.version },
      `${main.binary} serving MCP over stdio`,
    );

    let stopping = false;
    const shutdown = async (reason: string) => {
      if (stopping) return;
      stopping = true;
      const inflight = runtime?.tracker?.inflight ?? 0;
      logger.info({ reason, inflight }, "shutting down");
      const drained = (await runtime?.tracker?.drain(DRAIN_TIMEOUT_MS)) ?? true;
      if (!drained) logger.warn("calls still in flight after the drain timeout; closing anyway");
      // The last answers are sent after their handlers return: let them reach stdout (a pipe
      // is written asynchronously) before the transport closes and the process exits.
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise<void>((resolve) => process.stdout.write("", () => resolve()));
      await Promise.allSettled([handle.close(), started.close?.(), runtime?.store?.close()]);
      exit(0);
    };
    process.once("SIGINT", () => void shutdown("SIGINT"));
    process.once("SIGTERM", () => void shutdown("SIGTERM"));
    process.stdin.once("end", () => void shutdown("stdin closed"));
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
