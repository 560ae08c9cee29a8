import { randomUUID } from "node:crypto";
import { type ErrorEnvelope, ToolError, toErrorEnvelope, toToolError } from "../errors/index.js";
import type { CapReservation, ClaimRequest, ClaimResult, IdempotencyStore } from "../idempotency/store.js";
import type { ObjectSchema, ToolContext, WriteToolDefinition } from "./define-tool.js";
import { deriveKey } from "./idempotency-key.js";
import type { ToolRuntime } from "./runtime.js";

/** How a write call settled: a result to return, or an error envelope (maybe replayed). */
export type WriteSettlement =
  | { kind: "ok"; structured: Record<string, unknown>; replayed: boolean; key: string }
  | { kind: "error"; envelope: ErrorEnvelope; replayed: boolean; key: string };

/** Runs the handler (with deadline and output validation) and returns the validated output. */
export type Invoke = (ctx: ToolContext & { idempotencyKey: string }) => Promise<Record<string, unknown>>;

/** Validates a result the tool's `reconcile` found, as the handler's result would be. */
export type ValidateFound = (found: unknown) => Record<string, unknown>;

type WriteTool = WriteToolDefinition<ObjectSchema, ObjectSchema>;

/**
 * The write half of the pipeline (design.md §3 steps 2 and 4): derive the key, claim it
 * and reserve caps in one store operation, then replay, wait, refuse, reconcile or execute,
 * and record the outcome so that a repeat never acts twice.
 *
 * Refusals (`STORE_UNAVAILABLE`, `IN_PROGRESS`, `IDEMPOTENCY_KEY_REUSED`, `CAP_EXCEEDED`,
 * `OUTCOME_UNKNOWN`) and handler failures are returned as error settlements naming the key.
 */
export async function runWrite(
  tool: WriteTool,
  args: Record<string, unknown>,
  runtime: ToolRuntime,
  ctx: ToolContext,
  invoke: Invoke,
  validateFound: ValidateFound,
): Promise<WriteSettlement> {
  const store = runtime.store;
  if (!store) throw new ToolError("STORE_UNAVAILABLE", "No idempotency store is configured for writes");
  const { key, fingerprint, fieldHashes } = deriveKey(tool, args);
  try {
    return await claimAndRun(tool, args, runtime, store, ctx, invoke, validateFound, {
      key,
      fingerprint,
      fieldHashes,
    });
  } catch (thrown) {
    // Refusals before the handler ran (in progress, key reused, cap, store down) still name the key.
    const envelope = toErrorEnvelope(thrown, {
      idempotencyKey: key,
      replayed: false,
      scrub: runtime.scrubber.text,
    });
    if (envelope.error.code === "INTERNAL")
      ctx.logger.error({ err: thrown }, "write path failed unexpectedly");
    return { kind: "error", envelope, replayed: false, key };
  }
}

async function claimAndRun(
  tool: WriteTool,
  args: Record<string, unknown>,
  runtime: ToolRuntime,
  store: IdempotencyStore,
  ctx: ToolContext,
  invoke: Invoke,
  validateFound: ValidateFound,
  {
    key,
    fingerprint,
    fieldHashes,
  }: { key: string; fingerprint: string; fieldHashes: Record<string, string> },
): Promise<WriteSettlement> {
  const owner = randomUUID();
  const request: ClaimRequest = {
    key,
    fingerprint,
    fieldHashes,
    owner,
    leaseMs: runtime.idempotency.leaseMs,
    ttlMs: runtime.idempotency.ttlMs,
    caps: capsOf(tool, runtime),
  };
  const claim = await claimWithWait(store, request, runtime.idempotency.inProgressWaitMs, ctx.signal);
  const keyed = { ...ctx, idempotencyKey: key };
  const log = ctx.logger.child({ idempotencyKey: key });

  switch (claim.status) {
    case "replay": {
      if (claim.outcome.kind === "ok")
        return { kind: "ok", structured: { ...claim.outcome.result, replayed: true }, replayed: true, key };
      const envelope = { error: { ...claim.outcome.envelope.error, replayed: true } };
      return { kind: "error", envelope, replayed: true, key };
    }
    case "in_progress":
      throw new ToolError("IN_PROGRESS", "The same write is still running in another call; retry shortly", {
        retryAfterMs: clamp(claim.leaseExpiresAt - Date.now(), 250, 5_000),
      });
    case "key_reused":
      throw new ToolError(
        "IDEMPOTENCY_KEY_REUSED",
        `This write's key was already used with different arguments (${claim.differingFields.join(", ") || "unknown fields"}); use a new occurrence for a different write`,
        { details: { differingFields: claim.differingFields } },
      );
    case "cap_exceeded":
      throw new ToolError(
        "CAP_EXCEEDED",
        `Run cap "${claim.cap}" reached: ${claim.used} of ${claim.limit} used in run ${runtime.runId}`,
        { details: { cap: claim.cap, limit: claim.limit, used: claim.used, runId: runtime.runId } },
      );
    case "unknown": {
      log.warn(
        { previousOwner: claim.previousOwner, since: claim.since },
        "earlier attempt's outcome unknown; reconciling",
      );
      const reconcile = tool.idempotency.reconcile;
      if (reconcile) {
        let found: unknown;
        try {
          found = await reconcile(args, keyed);
        } catch (error) {
          await settleQuietly(store.markUnknown(key, owner), log, "markUnknown");
          throw new ToolError(
            "OUTCOME_UNKNOWN",
            "Could not tell whether an earlier attempt of this write acted; retry later",
            {
              sideEffect: "unknown",
              cause: error,
            },
          );
        }
        if (found !== null && found !== undefined) {
          const structured = { ...validateFound(found), idempotency_key: key, replayed: false };
          await settleQuietly(
            store.complete(key, owner, { kind: "ok", result: structured }, request.ttlMs),
            log,
            "complete",
          );
          log.info("reconciled: the earlier attempt had acted; not writing again");
          return { kind: "ok", structured: { ...structured, replayed: true }, replayed: true, key };
        }
        log.info("reconciled: the earlier attempt had not acted; executing");
      } else if (!tool.idempotency.reexecuteWhenUnknown) {
        await settleQuietly(store.markUnknown(key, owner), log, "markUnknown");
        throw new ToolError(
          "OUTCOME_UNKNOWN",
          "An earlier attempt of this write may have acted and cannot be checked automatically",
          {
            sideEffect: "unknown",
          },
        );
      }
      return execute(tool, args, runtime, store, keyed, owner, request.ttlMs, invoke);
    }
    case "acquired":
      return execute(tool, args, runtime, store, keyed, owner, request.ttlMs, invoke);
  }
}

async function execute(
  tool: WriteTool,
  args: Record<string, unknown>,
  runtime: ToolRuntime,
  store: IdempotencyStore,
  ctx: ToolContext & { idempotencyKey: string },
  owner: string,
  ttlMs: number,
  invoke: Invoke,
): Promise<WriteSettlement> {
  const key = ctx.idempotencyKey;
  const log = ctx.logger.child({ idempotencyKey: key });
  const renewEvery = Math.max(250, Math.floor(runtime.idempotency.leaseMs / 3));
  const renewal = setInterval(() => {
    store.renew(key, owner, runtime.idempotency.leaseMs).then(
      (ok) => ok || log.warn("lease renewal refused: another owner holds the key"),
      (error: unknown) => log.warn({ err: error }, "lease renewal failed"),
    );
  }, renewEvery);
  renewal.unref();

  let structured: Record<string, unknown>;
  try {
    structured = { ...(await invoke(ctx)), idempotency_key: key, replayed: false };
  } catch (thrown) {
    clearInterval(renewal);
    return settleFailure(tool, args, runtime, store, key, owner, ttlMs, thrown, log);
  }
  clearInterval(renewal);
  // The write happened: whatever the store says now, the caller gets the result. If the
  // record cannot be completed, its lease lapses into `unknown` and the next call reconciles.
  await settleQuietly(store.complete(key, owner, { kind: "ok", result: structured }, ttlMs), log, "complete");
  return { kind: "ok", structured, replayed: false, key };
}

async function settleFailure(
  tool: WriteTool,
  args: Record<string, unknown>,
  runtime: ToolRuntime,
  store: IdempotencyStore,
  key: string,
  owner: string,
  ttlMs: number,
  thrown: unknown,
  log: ToolContext["logger"],
): Promise<WriteSettlement> {
  let error = toToolError(thrown);
  // An unexpected exception in a write handler may have come after the request left.
  if (error.code === "INTERNAL" && error.sideEffect === "none") error = error.with({ sideEffect: "unknown" });
  const scrub = runtime.scrubber.text;

  if (error.sideEffect === "unknown") {
    await settleQuietly(store.markUnknown(key, owner), log, "markUnknown");
    return {
      kind: "error",
      envelope: toErrorEnvelope(error, { idempotencyKey: key, replayed: false, scrub }),
      replayed: false,
      key,
    };
  }
  if (error.retryable && error.sideEffect === "none") {
    await settleQuietly(store.release(key, owner), log, "release");
    return {
      kind: "error",
      envelope: toErrorEnvelope(error, { idempotencyKey: key, replayed: false, scrub }),
      replayed: false,
      key,
    };
  }
  // Terminal (or committed): remember it so a repeat replays instead of acting, and queue it for a human.
  let reviewId: string | undefined;
  const bare = toErrorEnvelope(error, { idempotencyKey: key, scrub });
  try {
    reviewId = await store.addReview({
      tool: tool.name,
      idempotencyKey: key,
      args: runtime.scrubber.value(args),
      error: bare.error,
    });
  } catch (reviewError) {
    log.error({ err: reviewError }, "could not add the failure to the review queue");
  }
  const envelope = toErrorEnvelope(error, { idempotencyKey: key, replayed: false, reviewId, scrub });
  await settleQuietly(store.complete(key, owner, { kind: "error", envelope }, ttlMs), log, "complete");
  return { kind: "error", envelope, replayed: false, key };
}

async function claimWithWait(
  store: IdempotencyStore,
  request: ClaimRequest,
  waitMs: number,
  signal: AbortSignal,
): Promise<ClaimResult> {
  const until = Date.now() + waitMs;
  let claim = await store.claim(request);
  let pause = 25;
  while (claim.status === "in_progress" && Date.now() + pause < until && !signal.aborted) {
    await new Promise((resolve) => setTimeout(resolve, pause));
    pause = Math.min(pause * 2, 200);
    claim = await store.claim(request);
  }
  return claim;
}

function capsOf(tool: WriteTool, runtime: ToolRuntime): CapReservation[] {
  const caps: CapReservation[] = [{ name: "writes", runId: runtime.runId, limit: runtime.caps.writes }];
  for (const name of tool.caps ?? []) {
    const limit = runtime.caps[name];
    if (limit === undefined) throw new ToolError("INTERNAL", `Cap "${name}" has no configured limit`);
    caps.push({ name, runId: runtime.runId, limit });
  }
  return caps;
}

/** A store transition after the fact: refused (stale owner) or failed, it is logged, never thrown. */
async function settleQuietly(
  transition: Promise<boolean>,
  log: ToolContext["logger"],
  name: string,
): Promise<void> {
  try {
    if (!(await transition))
      log.warn({ transition: name }, "store refused the transition: this call no longer owns the key");
  } catch (error) {
    log.error({ err: error, transition: name }, "store transition failed");
  }
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
