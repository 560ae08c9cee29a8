import type { ErrorEnvelope } from "../errors/index.js";
import type { ToolCallLine, ToolRuntime } from "./runtime.js";
import type { KeyOrigin } from "./write-types.js";

/** Longest string argument logged whole; longer ones (note bodies, SQL) are cut, with their length. */
const LOGGED_STRING_MAX = 500;

/** What the call log needs to know of one finished call. */
export interface CallRecord {
  tool: string;
  kind: "read" | "write";
  /** The arguments as parsed (or as received, when they did not parse). */
  args: unknown;
  durationMs: number;
  envelope: ErrorEnvelope | undefined;
  /** The handler asked a person; the call goes on in a later round. */
  inputRequired?: boolean;
  replayed: boolean;
  attempts: number;
  retried: boolean;
  key?: { value: string; origin: KeyOrigin } | undefined;
  /** The client cancelled the call. */
  cancelled?: boolean;
  /** The call's cache lookups, when it made any. */
  cache?: { hits: number; misses: number } | undefined;
}

/**
 * Writes the one call-log line of a call (design.md §1.6) and tells the runtime's observer
 * (metrics). Arguments are scrubbed and long strings abridged.
 */
export function logCall(runtime: ToolRuntime, record: CallRecord): void {
  const { envelope } = record;
  // server, env and runId come from the runtime logger's bindings (see ToolRuntime.logger).
  const line: ToolCallLine = {
    event: "tool_call",
    tool: record.tool,
    kind: record.kind,
    args: abridge(runtime.scrubber.value(record.args)),
    durationMs: record.durationMs,
    // A client cancellation is logged as such, distinct from a deadline's UPSTREAM_TIMEOUT.
    outcome: record.inputRequired
      ? "input_required"
      : record.cancelled
        ? "cancelled"
        : envelope
          ? envelope.error.code
          : "ok",
    retryable: envelope ? envelope.error.retryable : false,
    replayed: record.replayed,
    attempts: record.attempts,
    retried: record.retried,
    ...(record.key ? { idempotencyKey: record.key.value, keySource: record.key.origin } : {}),
    ...cacheFields(record.cache),
    ...(envelope ? { sideEffect: envelope.error.sideEffect, reviewId: envelope.error.reviewId } : {}),
  };
  if (envelope && !envelope.error.retryable) runtime.logger.warn(line, "tool call failed");
  else runtime.logger.info(line, "tool call");
  try {
    runtime.onToolCall?.(line);
  } catch {
    // Metrics are an observer: a fault there must not turn a finished call into a failure.
  }
  try {
    runtime.tracer?.recordCall(line);
  } catch {
    // So is the tracer.
  }
}

/** The call log's cache fields: whether the call was served from the cache, and the counts. */
function cacheFields(cache: { hits: number; misses: number } | undefined): Partial<ToolCallLine> {
  if (cache === undefined || cache.hits + cache.misses === 0) return {};
  const served = cache.misses === 0 ? "hit" : cache.hits === 0 ? "miss" : "mixed";
  return { cache: served, cacheHits: cache.hits, cacheMisses: cache.misses };
}

function abridge(value: unknown): unknown {
  if (typeof value === "string") {
    return value.length > LOGGED_STRING_MAX
      ? `${value.slice(0, LOGGED_STRING_MAX)}…(${value.length} chars)`
      : value;
  }
  if (Array.isArray(value)) return value.map(abridge);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, abridge(v)]));
  }
  return value;
}
