import type { HeldKeys } from "../idempotency/held-keys.js";
import type { Logger } from "../logging/index.js";
import type { ToolRuntime } from "../tools/runtime.js";
import type { ServingTransport } from "./serving-transport.js";

/** The limits of a shutdown; together they stay within the 10 s a supervisor usually allows. */
export interface ShutdownTimings {
  /** How long calls in flight may finish on their own. Default 7 s. */
  drainMs: number;
  /** After aborting the rest: how long they get to settle and answer. Default 1.5 s. */
  abortGraceMs: number;
  /** Least time the answers get to go out before connections close. Default 250 ms. */
  flushMs: number;
}

/** Defaults of {@link ShutdownTimings}. */
export const DEFAULT_SHUTDOWN_TIMINGS: ShutdownTimings = {
  drainMs: 7_000,
  abortGraceMs: 1_500,
  flushMs: 250,
};

/** Longest wait for the last spans to be exported at shutdown: a collector that is down must not hold the exit. */
export const TRACE_FLUSH_MS = 2_000;

/** What {@link createShutdown} stops. */
export interface ShutdownParts {
  runtime: ToolRuntime;
  logger: Logger;
  transport: ServingTransport;
  heldKeys: HeldKeys | undefined;
  /** Closes the server's own resources (vendor connection pools). */
  closeServer: (() => Promise<void>) | undefined;
  /** Exports the spans still queued (tracing on); given {@link TRACE_FLUSH_MS} at most. */
  closeTracing?: () => Promise<void>;
  exit: (code: number) => void;
  timings?: Partial<ShutdownTimings>;
}

/** How one shutdown went, for the last log line. */
export interface ShutdownReport {
  reason: string;
  /** Calls in flight when it began. */
  inflight: number;
  /** Whether they all finished on their own within the drain limit. */
  drained: boolean;
  /** Calls answered by the server itself because they did not end after the abort. */
  abandoned: number;
  /** Write keys marked unknown before the store closed. */
  keysMarkedUnknown: number;
}

/**
 * The shutdown sequence, run once whatever asks for it (signals, stdin closing). In order:
 * 1. stop taking work: new calls are answered "shutting down" (retryable); over HTTP the
 *    listener stays open, so `/healthz` says `503 {"status":"stopping"}` until the end;
 * 2. let the calls in flight finish, up to `drainMs`;
 * 3. abort the rest (handlers and vendor requests see the signal; the pipeline settles each
 *    write key as for a cancelled call) and give them `abortGraceMs`;
 * 4. answer every call still running (retryable; a write `OUTCOME_UNKNOWN`, side effect unknown);
 * 5. mark every write key this process still holds `unknown`, BEFORE the store closes, so the
 *    next identical call reconciles with the vendor instead of acting twice or waiting for a
 *    lease to lapse;
 * 6. let the answers out, close the transport, the server's resources and the store, export
 *    the last spans (tracing on); exit 0.
 */
export function createShutdown(parts: ShutdownParts): (reason: string) => Promise<void> {
  const timings = { ...DEFAULT_SHUTDOWN_TIMINGS, ...parts.timings };
  let running: Promise<void> | undefined;
  return (reason) => {
    running ??= runShutdown(parts, timings, reason);
    return running;
  };
}

async function runShutdown(parts: ShutdownParts, timings: ShutdownTimings, reason: string): Promise<void> {
  const { runtime, logger, transport, heldKeys } = parts;
  const tracker = runtime.tracker;
  const began = Date.now();
  const report: ShutdownReport = {
    reason,
    inflight: tracker?.inflight ?? 0,
    drained: true,
    abandoned: 0,
    keysMarkedUnknown: 0,
  };
  logger.info({ reason, inflight: report.inflight }, "shutting down");

  transport.stopAccepting();
  tracker?.stop();
  report.drained = (await tracker?.drain(timings.drainMs)) ?? true;
  // Always: a write answered at its deadline may still run in the background, holding its key.
  tracker?.abort(new Error(`the server is shutting down (${reason})`));
  if (!report.drained) {
    logger.warn(
      { inflight: tracker?.inflight ?? 0 },
      "calls still in flight at the drain limit; aborting them",
    );
  }
  // One grace for both: aborted calls settle and answer, and the keys they hold get settled
  // by the pipeline (a call that ignores the abort is answered here, its key marked below).
  const graceEnds = Date.now() + timings.abortGraceMs;
  const settled = report.drained || ((await tracker?.drain(timings.abortGraceMs)) ?? true);
  if (!settled) report.abandoned = tracker?.abandon() ?? 0;
  if (heldKeys && heldKeys.size > 0) await waitUntil(() => heldKeys.size === 0, graceEnds - Date.now());
  report.keysMarkedUnknown = (await heldKeys?.settleAsUnknown(logger)) ?? 0;

  const flushMs = Math.max(timings.flushMs, timings.drainMs + timings.abortGraceMs - (Date.now() - began));
  await transport.close(flushMs).catch((error: unknown) => {
    logger.warn({ err: error }, "transport did not close cleanly");
  });
  await Promise.allSettled([parts.closeServer?.(), runtime.store?.close(), flushTraces(parts.closeTracing)]);
  logger.info({ ...report, durationMs: Date.now() - began }, "stopped");
  parts.exit(0);
}

/** Resolves once `condition()` holds or `timeoutMs` passes (polling; shutdown only). */
async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition() && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
}

/** Exports the last spans, waiting {@link TRACE_FLUSH_MS} at most. */
async function flushTraces(close: (() => Promise<void>) | undefined): Promise<void> {
  if (close === undefined) return;
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, TRACE_FLUSH_MS);
  });
  await Promise.race([close().catch(() => undefined), limit]);
  clearTimeout(timer);
}
