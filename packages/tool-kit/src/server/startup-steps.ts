import {
  ConfigError,
  type HttpConfig,
  type LoadedConfig,
  loadConfig,
  loadHttpConfig,
  parseCli,
  renderHelp,
  StartupError,
  type VarSpecs,
} from "../config/index.js";
import { type BuiltRuntime, buildRuntime } from "./build-runtime.js";
import type { ServerMetrics } from "./metrics.js";
import type { ServerMain, StartedServer } from "./server-main.js";
import { type ServingTransport, startHttp, startStdio } from "./serving-transport.js";

/** Why the process stops before serving: the one line for stderr and the exit code. */
export interface Refusal {
  exitCode: 1 | 2;
  line: string;
}

/** The outcome of one start-up step: its value, or the refusal that ends the start. */
export type Step<T> = { ok: true; value: T } | { ok: false; refusal: Refusal };

/** What the command line asked for: print something and exit 0, or serve. */
export type CommandLine = { kind: "print"; text: string } | { kind: "serve"; http: boolean };

/** The configuration a server starts with: its own and the common variables, and HTTP's with `--http`. */
export interface Settings<S extends VarSpecs> {
  config: LoadedConfig<S>;
  http: HttpConfig | undefined;
}

/** A server serving: its dependencies and the transport that reaches it. */
export interface Serving {
  started: StartedServer;
  transport: ServingTransport;
}

/** Step 1: `--help` and `--version` print (stdout: no protocol runs then); `--http` picks the transport. */
export function readCommandLine(main: ServerMain<VarSpecs>, argv: readonly string[]): Step<CommandLine> {
  return attempt(main.binary, undefined, () => {
    const cli = parseCli(argv);
    if (cli.help) {
      const text = renderHelp({ binary: main.binary, description: main.description, vars: main.vars });
      return { kind: "print", text };
    }
    if (cli.version) return { kind: "print", text: `${main.binary} ${main.version}\n` };
    return { kind: "serve", http: cli.http };
  });
}

/** Step 2: every variable read and checked before anything connects (HTTP tokens included). */
export function loadSettings<S extends VarSpecs>(
  main: ServerMain<S>,
  env: NodeJS.ProcessEnv,
  http: boolean,
): Step<Settings<S>> {
  return attempt(main.binary, undefined, () => {
    const config = loadConfig(main.vars, env);
    return { config, http: http ? loadHttpConfig(env, config.secrets, config.common.env) : undefined };
  });
}

/** Step 3: logger, store (refused with one line when it cannot be opened), caps and tracker. */
export async function openRuntime<S extends VarSpecs>(
  main: ServerMain<S>,
  settings: Settings<S>,
  metrics: ServerMetrics,
): Promise<Step<BuiltRuntime>> {
  return attemptAsync(main.binary, undefined, async () => {
    const built = await buildRuntime(settings.config, {
      server: { name: main.name, version: main.version },
      caps: main.caps?.(settings.config) ?? {},
      hasWriteTools: main.hasWriteTools,
      readsNeedStore: main.readsNeedStore ?? false,
      onToolCall: metrics.observeToolCall,
      instrumentStore: metrics.instrumentStore,
    });
    metrics.setCapLimits(built.runtime.caps);
    metrics.watchSecretFiles(() => settings.config.secrets.files());
    return built;
  });
}

/**
 * Step 4: the server's own dependencies (`main.start`: vendor client, identity check), then the
 * transport. When the transport cannot start, the dependencies are closed again.
 */
export async function startServing<S extends VarSpecs>(
  main: ServerMain<S>,
  settings: Settings<S>,
  built: BuiltRuntime,
  metrics: ServerMetrics,
): Promise<Step<Serving>> {
  const { runtime, logger } = built;
  return attemptAsync(main.binary, runtime.scrubber.text, async () => {
    const started = await main.start({ config: settings.config, runtime, logger });
    const createServer = () => started.createServer();
    try {
      // Built once now, not only at the first request: a tool declaration the configuration
      // cannot satisfy (a cap with no limit) refuses the start instead of failing its calls.
      createServer();
      const transport = settings.http
        ? await startHttp(createServer, { config: settings.http, logger, metrics, store: runtime.store })
        : startStdio(createServer, logger);
      return { started, transport };
    } catch (error) {
      await started.close?.().catch(() => undefined);
      throw error;
    }
  });
}

/** The refusal for anything a start-up step threw; never a stack trace, and scrubbed once secrets are known. */
export function refusalOf(
  binary: string,
  error: unknown,
  scrub: (text: string) => string = (t) => t,
): Refusal {
  if (error instanceof ConfigError)
    return { exitCode: 2, line: `${binary}: configuration error: ${error.message}` };
  if (error instanceof StartupError)
    return { exitCode: 2, line: `${binary}: refusing to start: ${scrub(error.message)}` };
  const message = error instanceof Error ? error.message : String(error);
  return { exitCode: 1, line: `${binary}: failed to start: ${scrub(message)}` };
}

function attempt<T>(binary: string, scrub: ((text: string) => string) | undefined, body: () => T): Step<T> {
  try {
    return { ok: true, value: body() };
  } catch (error) {
    return { ok: false, refusal: refusalOf(binary, error, scrub) };
  }
}

async function attemptAsync<T>(
  binary: string,
  scrub: ((text: string) => string) | undefined,
  body: () => Promise<T>,
): Promise<Step<T>> {
  try {
    return { ok: true, value: await body() };
  } catch (error) {
    return { ok: false, refusal: refusalOf(binary, error, scrub) };
  }
}
