import type { Server } from "@modelcontextprotocol/server";
import { StdioServerTransport, serveStdio } from "@modelcontextprotocol/server/stdio";
import { type HttpConfig, StartupError } from "../config/index.js";
import type { Logger } from "../logging/index.js";
import type { ServerMetrics } from "./metrics.js";
import { type HealthStore, serveHttp } from "./serve-http.js";
import { createStdioGuard } from "./stdio-guard.js";

/** How a running server is reached, as the bootstrap drives it at shutdown. */
export interface ServingTransport {
  /** For the start line: `stdio`, or `Streamable HTTP at <url>`. */
  readonly where: string;
  /** Fields of the start line: the transport, and over HTTP the endpoint and the bound port. */
  readonly details: Record<string, unknown>;
  /** Takes no new work (HTTP: stops accepting connections; stdio: nothing to do). */
  stopAccepting(): void;
  /** Called once calls in flight are done: lets their answers out, then closes. */
  close(timeoutMs: number): Promise<void>;
}

/**
 * Serves MCP over stdio: stdout is the protocol channel, so nothing else may write there.
 * Lines the SDK would drop without an answer (not JSON, a batch, not an object, too deep)
 * are answered with a JSON-RPC error by a guard in front of it (see `createStdioGuard`).
 */
export function startStdio(createServer: () => Server, logger: Logger): ServingTransport {
  const guard = createStdioGuard((answer) => {
    logger.warn({ code: answer.error.code, problem: answer.error.message }, "stdio message refused");
    process.stdout.write(`${JSON.stringify(answer)}\n`);
  });
  process.stdin.pipe(guard);
  const handle = serveStdio(createServer, {
    transport: new StdioServerTransport(guard, process.stdout),
    onerror: (error) => logger.warn({ err: error }, "transport error"),
  });
  return {
    where: "stdio",
    details: { transport: "stdio" },
    stopAccepting() {},
    async close() {
      // The last answers are sent after their handlers return: let them reach stdout (a pipe
      // is written asynchronously) before the transport closes and the process exits.
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise<void>((resolve) => process.stdout.write("", () => resolve()));
      await handle.close();
    },
  };
}

/** What {@link startHttp} needs besides the server factory. */
export interface HttpStartOptions {
  config: HttpConfig;
  logger: Logger;
  metrics: ServerMetrics;
  store?: HealthStore | undefined;
}

/**
 * Serves MCP over Streamable HTTP (see `serveHttp`). Nothing is written to stdout.
 *
 * @throws StartupError when the address cannot be bound (in use, not permitted, unknown).
 */
export async function startHttp(
  createServer: () => Server,
  options: HttpStartOptions,
): Promise<ServingTransport> {
  const { config } = options;
  const serving = await serveHttp({
    host: config.host,
    port: config.port,
    tokens: () => config.tokens.parts(),
    allowedHosts: config.allowedHosts,
    allowedOrigins: config.allowedOrigins,
    createServer,
    logger: options.logger,
    metrics: options.metrics,
    store: options.store,
  }).catch((error: NodeJS.ErrnoException) => {
    throw new StartupError(
      `cannot listen on ${config.host}:${config.port} (${error.code ?? error.message}); set GTM_HTTP_HOST and GTM_HTTP_PORT`,
    );
  });
  return {
    where: `Streamable HTTP at ${serving.url}`,
    details: { transport: "http", url: serving.url, port: serving.port },
    stopAccepting: () => serving.stopAccepting(),
    close: (timeoutMs) => serving.close(timeoutMs),
  };
}
