import { type LoadedConfig, StartupError, type VarSpecs } from "../config/index.js";
import { createStateSeal } from "../core/state-seal.js";
import { type HeldKeys, trackHeldKeys } from "../idempotency/held-keys.js";
import { openStore, parseStateUrl } from "../idempotency/open-store.js";
import type { IdempotencyStore } from "../idempotency/store.js";
import { createLogger, createScrubber, type Logger } from "../logging/index.js";
import { CallTracker, DEFAULT_IDEMPOTENCY, type ToolCallLine, type ToolRuntime } from "../tools/runtime.js";

/** What {@link buildRuntime} needs besides the configuration. */
export interface RuntimeOptions {
  server: { name: string; version: string };
  /** Limits of the server's own caps (sends, credits), besides `writes`. */
  caps?: Record<string, number>;
  /** Whether the server has write tools: then the store is opened when writes are enabled. */
  hasWriteTools: boolean;
  /**
   * Whether the server's read tools need the store (a cache, a cap on paid calls): then it is
   * opened whatever `GTM_ENABLE_WRITES` says, and production refuses the embedded one.
   */
  readsNeedStore?: boolean;
  /** Where log lines go (tests); defaults to stderr. */
  write?: (line: string) => void;
  /** Told of every finished tool call (metrics); see `ToolRuntime.onToolCall`. */
  onToolCall?: (line: ToolCallLine) => void;
  /** Wraps the store once opened (the metrics time its calls); see `ServerMetrics.instrumentStore`. */
  instrumentStore?: (store: IdempotencyStore) => IdempotencyStore;
}

/**
 * Builds the per-process runtime from a loaded configuration: a logger that scrubs every
 * configured secret, the idempotency store (when writes are enabled and the server has write
 * tools, or when its read tools need it: so a read-only crm needs no store, while enrichment's
 * cache and credit cap always have one), caps and the in-flight tracker.
 */
export async function buildRuntime<S extends VarSpecs>(
  config: LoadedConfig<S>,
  options: RuntimeOptions,
): Promise<BuiltRuntime> {
  const { common } = config;
  const scrubber = createScrubber(() => config.secrets.values());
  const logger = createLogger({
    level: common.logLevel,
    scrubber,
    base: { server: options.server.name, env: common.env, runId: common.runId },
    ...(options.write ? { write: options.write } : {}),
  });
  const raw =
    (common.writesEnabled && options.hasWriteTools) || options.readsNeedStore
      ? await openStoreOrRefuse(common.stateUrl, options.server.name, common.env, logger)
      : undefined;
  const opened = raw && options.instrumentStore ? options.instrumentStore(raw) : raw;
  // Shutdown settles the keys this process still holds before the store closes.
  const tracked = opened ? trackHeldKeys(opened) : undefined;
  const store = tracked?.store;
  const runtime: ToolRuntime = {
    server: options.server,
    env: common.env,
    runId: common.runId,
    writesEnabled: common.writesEnabled,
    logger,
    scrubber,
    seal: createStateSeal(common.stateSecret),
    ...(store ? { store } : {}),
    caps: { ...options.caps, writes: common.maxWritesPerRun },
    idempotency: { ...DEFAULT_IDEMPOTENCY, ttlMs: common.idempotencyTtlHours * 3_600_000 },
    tracker: new CallTracker(),
    ...(options.onToolCall ? { onToolCall: options.onToolCall } : {}),
  };
  return { runtime, logger, ...(tracked ? { heldKeys: tracked.held } : {}) };
}

/** What {@link buildRuntime} returns. */
export interface BuiltRuntime {
  runtime: ToolRuntime;
  logger: Logger;
  /** The write keys this process holds (when it has a store), for shutdown to settle. */
  heldKeys?: HeldKeys;
}

/**
 * Opens the store, or refuses to start with a line that says where and what to fix (an
 * embedded file that cannot be created). A Redis that is down does not stop the start: writes
 * fail closed until it is back.
 *
 * @throws StartupError naming the file and GTM_STATE_URL.
 */
async function openStoreOrRefuse(
  url: string | undefined,
  server: string,
  env: ToolRuntime["env"],
  logger: Logger,
): Promise<IdempotencyStore> {
  try {
    return await openStore({ url, server, env, logger });
  } catch (error) {
    const location = parseStateUrl(url, { server, env });
    const where = location.kind === "sqlite" ? ` at ${location.path}` : "";
    const cause =
      error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
    throw new StartupError(
      `cannot open the idempotency store${where} (${cause}); set GTM_STATE_URL to a writable sqlite:<path> or a redis:// URL`,
    );
  }
}
