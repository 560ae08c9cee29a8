import type { SecretRegistry } from "../config/index.js";
import type { Logger } from "../logging/index.js";

/**
 * Node prints its warnings (a listener leak, a deprecation) as plain text on stderr, between
 * the JSON log lines. Route them through the logger instead, so every line of stderr is JSON.
 */
export function routeWarningsToLog(logger: Logger): void {
  process.removeAllListeners("warning");
  process.on("warning", (warning) => {
    logger.warn({ warning: { name: warning.name, message: warning.message } }, "Node warning");
  });
}

/**
 * SIGINT and SIGTERM (and, over stdio, the client closing stdin) start the shutdown; SIGHUP
 * re-reads the `_FILE` secrets (HTTP tokens included), each keeping its previous value when
 * its file cannot be read (the problem names the file, never a value).
 */
export function installSignalHandlers(options: {
  shutdown: (reason: string) => Promise<void>;
  secrets: SecretRegistry;
  logger: Logger;
  /** Whether stdin is the protocol (stdio): its end means the client left. */
  stdio: boolean;
}): void {
  const { shutdown, secrets, logger } = options;
  process.once("SIGINT", () => void shutdown("SIGINT"));
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
  // Over HTTP stdin means nothing (it may be closed from the start, as under a supervisor).
  if (options.stdio) process.stdin.once("end", () => void shutdown("stdin closed"));
  process.on("SIGHUP", () => {
    secrets.reload().then(
      ({ changed, failed }) => {
        logger.info({ changed }, "secrets re-read");
        if (failed.length > 0) logger.error({ failed }, "could not re-read some secrets");
      },
      (error: unknown) => logger.error({ err: error }, "could not re-read secrets"),
    );
  });
}
