import { randomUUID } from "node:crypto";
import { OVERDUE, raceDeadline } from "../core/deadline.js";
import { isToolError, ToolError, toErrorEnvelope } from "../errors/index.js";
import type { CapReservation, ClaimRequest, ClaimResult, IdempotencyStore } from "../idempotency/store.js";
import type { ToolContext } from "./define-tool.js";
import { holdLease } from "./hold-lease.js";
import { type DerivedKey, deriveKey } from "./idempotency-key.js";
import type { ToolRuntime } from "./runtime.js";
import { executeOwned, settleFailure, settleQuietly } from "./write-execution.js";
import type { KeyOrigin, OwnedWrite, WriteHooks, WriteSettlement, WriteTool } from "./write-types.js";

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
  hooks: WriteHooks,
): Promise<WriteSettlement & { origin: KeyOrigin }> {
  const store = runtime.store;
  if (!store) throw new ToolError("STORE_UNAVAILABLE", "No idempotency store is configured for writes");
  const derived = deriveKey(tool, args);
  const settled = await claimOrRefuse(tool, args, runtime, store, ctx, hooks, derived);
  return { ...settled, origin: derived.origin };
}

/** Claims the key and acts on the claim; a refusal before the handler ran is an error settlement. */
async function claimOrRefuse(
  tool: WriteTool,
  args: Record<string, unknown>,
  runtime: ToolRuntime,
  store: IdempotencyStore,
  ctx: ToolContext,
  hooks: WriteHooks,
  derived: DerivedKey,
): Promise<WriteSettlement> {
  try {
    return await claimAndRun(tool, args, runtime, store, ctx, hooks, derived);
  } catch (thrown) {
    // Refusals before the handler ran (in progress, key reused, cap, store down) still name the key.
    const envelope = toErrorEnvelope(thrown, {
      idempotencyKey: derived.key,
      replayed: false,
      scrub: runtime.scrubber.text,
    });
    if (envelope.error.code === "INTERNAL")
      ctx.logger.error({ err: thrown }, "write path failed unexpectedly");
    return { kind: "error", envelope, replayed: false, key: derived.key };
  }
}

async function claimAndRun(
  tool: WriteTool,
  args: Record<string, unknown>,
  runtime: ToolRuntime,
  store: IdempotencyStore,
  ctx: ToolContext,
  hooks: WriteHooks,
  { key, fingerprint, fieldHashes }: DerivedKey,
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
    ...(tool.windows ? { windows: await tool.windows(args, ctx) } : {}),
  };
  const claim = await claimWithWait(store, request, runtime.idempotency.inProgressWaitMs, ctx.signal);
  const owned: OwnedWrite = {
    tool,
    args,
    runtime,
    store,
    ctx: { ...ctx, idempotencyKey: key },
    owner,
    ttlMs: request.ttlMs,
    hooks,
  };

  switch (claim.status) {
    case "replay": {
      if (claim.outcome.kind === "ok") {
        return { kind: "ok", structured: { ...claim.outcome.result, replayed: true }, replayed: true, key };
      }
      return {
        kind: "error",
        envelope: { error: { ...claim.outcome.envelope.error, replayed: true } },
        replayed: true,
        key,
      };
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
    case "window_active": {
      const retryAfterMs = Math.max(0, claim.until - Date.now());
      throw new ToolError(
        "CAP_EXCEEDED",
        `Limit "${claim.window}" holds for ${claim.subject} until ${new Date(claim.until).toISOString()}; retry after ${retryAfterMs} ms`,
        { retryAfterMs, details: { window: claim.window, subject: claim.subject, until: claim.until } },
      );
    }
    case "unknown":
      ctx.logger.warn(
        { idempotencyKey: key, previousOwner: claim.previousOwner, since: claim.since },
        "earlier outcome unknown; reconciling",
      );
      return reconcileThenRun(owned);
    case "acquired":
      return executeOwned(owned);
  }
}

/**
 * The key's earlier attempt may have acted: look for what it did before acting again. The
 * lease is held while the tool's `reconcile` runs, under the call's deadline.
 */
async function reconcileThenRun(owned: OwnedWrite): Promise<WriteSettlement> {
  const { tool, args, runtime, store, ctx, owner, hooks } = owned;
  const key = ctx.idempotencyKey;
  const log = ctx.logger.child({ idempotencyKey: key });
  const reconcile = tool.idempotency.reconcile;
  const cannotTell = async (cause?: unknown): Promise<never> => {
    await settleQuietly(store.markUnknown(key, owner), log, "markUnknown");
    throw new ToolError(
      "OUTCOME_UNKNOWN",
      "Could not tell whether an earlier attempt of this write acted; retry later",
      {
        sideEffect: "unknown",
        cause,
      },
    );
  };
  if (!reconcile) {
    if (tool.idempotency.reexecuteWhenUnknown) return executeOwned(owned);
    return cannotTell();
  }

  const lease = holdLease(
    store,
    key,
    owner,
    runtime.idempotency.leaseMs,
    runtime.idempotency.leaseMs * 10,
    log,
  );
  let found: unknown;
  try {
    found = await raceDeadline(reconcile(args, ctx), ctx.deadline + hooks.graceMs);
    if (found === OVERDUE) return cannotTell(new Error("reconcile did not finish before the deadline"));
  } catch (error) {
    return cannotTell(error);
  } finally {
    lease.release();
  }
  if (found === null || found === undefined) {
    log.info("reconciled: the earlier attempt had not acted; executing");
    return executeOwned(owned);
  }
  let structured: Record<string, unknown>;
  try {
    structured = { ...hooks.validate(found), idempotency_key: key, replayed: false };
  } catch (thrown) {
    // The write happened (it was found) but its shape drifted: record that, never write again.
    const error = isToolError(thrown) ? thrown.with({ sideEffect: "committed" }) : thrown;
    return settleFailure(owned, error);
  }
  await settleQuietly(
    store.complete(key, owner, { kind: "ok", result: structured }, owned.ttlMs),
    log,
    "complete",
  );
  log.info("reconciled: the earlier attempt had acted; not writing again");
  return { kind: "ok", structured: { ...structured, replayed: true }, replayed: true, key };
}

async function claimWithWait(
  store: IdempotencyStore,
  request: ClaimRequest,
  waitMs: number,
  signal: AbortSignal,
): Promise<ClaimResult> {
  const until = Date.now() + waitMs;
  let claim = await claimOnce(store, request);
  let pause = 25;
  while (claim.status === "in_progress" && Date.now() + pause < until && !signal.aborted) {
    await new Promise((resolve) => setTimeout(resolve, pause));
    pause = Math.min(pause * 2, 200);
    claim = await claimOnce(store, request);
  }
  return claim;
}

/**
 * One claim, retried once with the same owner token when the store timed out: the store may
 * have applied it before the answer was lost, and a claim by the same owner is acquired
 * again rather than left behind as a stranger's in-progress record.
 */
async function claimOnce(store: IdempotencyStore, request: ClaimRequest): Promise<ClaimResult> {
  try {
    return await store.claim(request);
  } catch (error) {
    if (!isToolError(error) || error.code !== "STORE_UNAVAILABLE") throw error;
    return store.claim(request);
  }
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

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
