import type { CallTracer } from "../core/call-tracer.js";
import type { GtmEnv } from "../core/gtm-env.js";
import type { StateSeal } from "../core/state-seal.js";
import type { IdempotencyStore } from "../idempotency/store.js";
import type { Logger, Scrubber } from "../logging/index.js";
import type { CallTracker } from "./call-tracker.js";

export type { GtmEnv } from "../core/gtm-env.js";
export { CallTracker } from "./call-tracker.js";

/** Tuning of the write path; every field has a default. */
export interface IdempotencySettings {
  /** Retention of completed keys (default 168 h). */
  ttlMs: number;
  /**
   * Lease of an in-progress claim, renewed every quarter of it while the handler runs
   * (default 8 s): how long a crashed process's key stays held before the next identical
   * call may reconcile it, and three quarters of it is the longest stall a live handler rides out.
   */
  leaseMs: number;
  /** How long a duplicate waits for the first call before `IN_PROGRESS` (default 2 s). */
  inProgressWaitMs: number;
}

/**
 * Everything the pipeline needs at call time, built once per process by the server's
 * `main.ts` and shared by every tool.
 */
export interface ToolRuntime {
  server: { name: string; version: string };
  env: GtmEnv;
  runId: string;
  writesEnabled: boolean;
  /** Bound to `server`, `env` and `runId`: every line, the call log included, carries them. */
  logger: Logger;
  scrubber: Scrubber;
  /** Seals state a client carries back (cursors, confirmations); see `GTM_STATE_SECRET`. */
  seal: StateSeal;
  /** Required when writes are enabled and the server has write tools. */
  store?: IdempotencyStore;
  /** Limits per cap name for this run; `writes` always present. */
  caps: Record<string, number> & { writes: number };
  idempotency: IdempotencySettings;
  /** Counts calls in flight, so shutdown can let them finish (and answer those that do not). */
  tracker?: CallTracker;
  /**
   * Told of every finished call with its call-log line (after the line is logged), to feed
   * metrics. Whatever it throws is ignored: it cannot change a call's result.
   */
  onToolCall?: (line: ToolCallLine) => void;
  /**
   * Follows each call in a span (OpenTelemetry), set by the start-up only when an OTLP
   * endpoint is configured; absent, calls are not traced at all.
   */
  tracer?: CallTracer;
}

/** The call-log line of one tool call (design.md §1.6); `server`, `env` and `runId` come from the logger. */
export interface ToolCallLine {
  event: "tool_call";
  tool: string;
  kind: "read" | "write";
  /** The arguments, scrubbed and abridged. */
  args: unknown;
  durationMs: number;
  /** `ok`, or the error code. */
  outcome: string;
  retryable: boolean;
  replayed: boolean;
  attempts: number;
  retried: boolean;
  idempotencyKey?: string;
  /** Where the key came from: the caller's `idempotency_key`, the `occurrence`, or the arguments. */
  keySource?: "idempotency_key" | "occurrence" | "arguments";
  /** When the call looked anything up in the cache: `hit` (all served from it), `miss` (all filled upstream) or `mixed`. */
  cache?: "hit" | "miss" | "mixed";
  cacheHits?: number;
  cacheMisses?: number;
  sideEffect?: string;
  reviewId?: string | undefined;
}

/** Defaults of {@link IdempotencySettings}. */
export const DEFAULT_IDEMPOTENCY: IdempotencySettings = {
  ttlMs: 168 * 3_600_000,
  leaseMs: 8_000,
  inProgressWaitMs: 2_000,
};

/** Deadline of one tool call unless the tool sets its own. */
export const DEFAULT_DEADLINE_MS = 8_000;
