import type { LoadedConfig, VarSpecs } from "../config/index.js";
import { openStore } from "../idempotency/open-store.js";
import { createLogger, createScrubber, type Logger } from "../logging/index.js";
import { CallTracker, DEFAULT_IDEMPOTENCY, type ToolCallLine, type ToolRuntime } from "../tools/runtime.js";

/** What {@link buildRuntime} needs besides the configuration. */
export interface RuntimeOptions {
  server: { name: string; version: string };
  /** Limits of the server's own caps (sends, credits), besides `writes`. */
  caps?: Record<string, number>;
  /** Whether the server has write tools: only then is the store opened. */
  hasWriteTools: boolean;
  /** Where log lines go (tests); defaults to stderr. */
  write?: (line: string) => void;
  /** Told of every finished tool call (metrics); see `ToolRuntime.onToolCall`. */
  onToolCall?: (line: ToolCallLine) => void;
}

/**
 * Builds the per-process runtime from a loaded configuration: a logger that scrubs every
 * configured secret, the idempotency store (only when writes are enabled and the server has
 * write tools, so a read-only deployment needs no store), caps and the in-flight tracker.
 */
export async function buildRuntime<S extends VarSpecs>(
  config: LoadedConfig<S>,
  options: RuntimeOptions,
): Promise<{ runtime: ToolRuntime; logger: Logger }> {
  const { common } = config;
  const scrubber = createScrubber(() => config.secrets.values());
  const logger = createLogger({
    level: common.logLevel,
    scrubber,
    base: { server: options.server.name, env: common.env, runId: common.runId },
    ...(options.write ? { write: options.write } : {}),
  });
  const store =
    common.writesEnabled && options.hasWriteTools
      ? await openStore({ url: common.stateUrl, server: options.server.name, env: common.env, logger })
      : undefined;
  const runtime: ToolRuntime = {
    server: options.server,
    env: common.env,
    runId: common.runId,
    writesEnabled: common.writesEnabled,
    logger,
    scrubber,
    ...(store ? { store } : {}),
    caps: { ...options.caps, writes: common.maxWritesPerRun },
    idempotency: { ...DEFAULT_IDEMPOTENCY, ttlMs: common.idempotencyTtlHours * 3_600_000 },
    tracker: new CallTracker(),
    ...(options.onToolCall ? { onToolCall: options.onToolCall } : {}),
  };
  return { runtime, logger };
}
