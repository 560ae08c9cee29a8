import { OVERDUE, raceDeadline } from "../core/deadline.js";
import { linkedSignal } from "../core/linked-signal.js";
import { ToolError, toErrorEnvelope, toToolError } from "../errors/index.js";
import type { Logger } from "../logging/index.js";
import { ElicitationRefused, InputRequiredSignal } from "./elicitation.js";
import { holdLease } from "./hold-lease.js";
import type { OwnedWrite, WriteSettlement } from "./write-types.js";

/** A handler that never settles stops holding its key after this long; the next call reconciles. */
const MAX_UNSETTLED_HOLD_MS = 5 * 60_000;

type Outcome = { ok: true; structured: Record<string, unknown> } | { ok: false; error: unknown };

/**
 * Runs the handler of a key this call owns, holding the lease while it runs. When the
 * handler outlives the deadline, the caller is answered `UPSTREAM_TIMEOUT` (side effect
 * unknown) at once, but the key stays owned — its lease renewed — until the handler really
 * settles, and only then is the outcome recorded: no other call can act on the key while
 * this attempt may still write. A refused renewal aborts the handler.
 */
export async function executeOwned(owned: OwnedWrite): Promise<WriteSettlement> {
  const { runtime, store, ctx, owner, hooks } = owned;
  const key = ctx.idempotencyKey;
  const log = ctx.logger.child({ idempotencyKey: key });
  const lease = holdLease(store, key, owner, runtime.idempotency.leaseMs, MAX_UNSETTLED_HOLD_MS, log);
  const link = linkedSignal([ctx.signal, lease.lost]);
  const signal = link.signal;
  const callCtx = { ...ctx, signal, scope: { ...ctx.scope, signal } };

  const outcome: Promise<Outcome> = (async () => hooks.validate(await hooks.run(callCtx)))()
    .then(
      (structured) => ({ ok: true as const, structured }),
      (error: unknown) => ({ ok: false as const, error }),
    )
    .finally(link.release);
  const first = await raceDeadline(outcome, ctx.deadline + hooks.graceMs);
  if (first === OVERDUE) {
    void outcome.then(async (late) => {
      lease.release();
      const settled = await settleOutcome(owned, late);
      log.warn(
        { outcome: settled.kind === "error" ? settled.envelope.error.code : settled.kind },
        "write settled after its call timed out",
      );
    });
    const timeout = new ToolError(
      "UPSTREAM_TIMEOUT",
      "The write did not finish before its deadline; it may still complete",
      {
        sideEffect: "unknown",
      },
    );
    const envelope = toErrorEnvelope(timeout, {
      idempotencyKey: key,
      replayed: false,
      scrub: runtime.scrubber.text,
    });
    return { kind: "error", envelope, replayed: false, key };
  }
  lease.release();
  return settleOutcome(owned, first);
}

async function settleOutcome(owned: OwnedWrite, outcome: Outcome): Promise<WriteSettlement> {
  if (!outcome.ok) return settleFailure(owned, outcome.error);
  const { store, ctx, owner, ttlMs } = owned;
  const key = ctx.idempotencyKey;
  const structured = { ...outcome.structured, idempotency_key: key, replayed: false };
  // The write happened: whatever the store says now, the caller gets the result. If the
  // record cannot be completed, its lease lapses into `unknown` and the next call reconciles.
  await settleQuietly(
    store.complete(key, owner, { kind: "ok", result: structured }, ttlMs),
    logOf(owned),
    "complete",
  );
  return { kind: "ok", structured, replayed: false, key };
}

/**
 * Records a failed attempt so a repeat does the right thing: side effect unknown → the key
 * is marked unknown (the next call reconciles); retryable with no side effect → released,
 * cap refunded; a credential or quota failure with no side effect → queued for review and
 * released (it will work once fixed); any other failure with no side effect (`NOT_FOUND`,
 * `INVALID_INPUT`, a vendor refusal) → released, caps refunded, no review; a failure after
 * the write committed → stored so it replays, and queued for review.
 */
export async function settleFailure(owned: OwnedWrite, thrown: unknown): Promise<WriteSettlement> {
  const { runtime, store, ctx, owner, ttlMs } = owned;
  const key = ctx.idempotencyKey;
  const log = logOf(owned);
  if (thrown instanceof InputRequiredSignal || thrown instanceof ElicitationRefused) {
    // Asking a person, or the person said no: nothing was done, so the key is released and
    // its caps refunded while the person decides (or for good). No review: nothing failed.
    await settleQuietly(store.release(key, owner), log, "release");
    if (thrown instanceof InputRequiredSignal)
      return { kind: "input_required", result: thrown.result, replayed: false, key };
  }
  let error = toToolError(thrown);
  // An unexpected exception in a write handler may have come after the request left.
  if (error.code === "INTERNAL" && error.sideEffect === "none") error = error.with({ sideEffect: "unknown" });
  if (error.code === "INTERNAL")
    log.error({ err: error.cause ?? thrown }, "write handler failed unexpectedly");
  const scrub = runtime.scrubber.text;
  const envelopeOf = (reviewId?: string) =>
    toErrorEnvelope(error, {
      idempotencyKey: key,
      replayed: false,
      scrub,
      ...(reviewId ? { reviewId } : {}),
    });

  if (thrown instanceof ElicitationRefused)
    return { kind: "error", envelope: envelopeOf(), replayed: false, key };
  if (error.sideEffect === "unknown") {
    await settleQuietly(store.markUnknown(key, owner), log, "markUnknown");
    return { kind: "error", envelope: envelopeOf(), replayed: false, key };
  }
  if (error.retryable && error.sideEffect === "none") {
    await settleQuietly(store.release(key, owner), log, "release");
    return { kind: "error", envelope: envelopeOf(), replayed: false, key };
  }
  if (error.sideEffect === "none" && ENVIRONMENT_FAILURES.has(error.code)) {
    // Nothing was written and the same arguments will work once the credential or quota is
    // fixed: a human is told, but the key is released (and the cap refunded) instead of
    // replaying this failure for the whole retention window.
    const reviewId = await addReview(owned, envelopeOf().error, log);
    await settleQuietly(store.release(key, owner), log, "release");
    return { kind: "error", envelope: envelopeOf(reviewId), replayed: false, key };
  }
  if (error.sideEffect === "none") {
    // A terminal error that proves nothing was done (an unknown id, input the handler refused
    // before any vendor write, a vendor that refused the write): the key is released, which
    // refunds every cap the claim reserved, and no person needs to review it. A repeat runs
    // the handler again rather than replaying this error: doing nothing twice is as safe as
    // once, and it sees the world as it is then (a draft that now exists), whereas a stored
    // error would hold its caps, or need a refund the stores have no operation for.
    await settleQuietly(store.release(key, owner), log, "release");
    return { kind: "error", envelope: envelopeOf(), replayed: false, key };
  }
  const reviewId = await addReview(owned, envelopeOf().error, log);
  const envelope = envelopeOf(reviewId);
  await settleQuietly(store.complete(key, owner, { kind: "error", envelope }, ttlMs), log, "complete");
  return { kind: "error", envelope, replayed: false, key };
}

/** Terminal failures caused by the environment (credential, quota), not by the write's arguments. */
const ENVIRONMENT_FAILURES: ReadonlySet<string> = new Set(["PERMISSION_DENIED", "QUOTA_EXHAUSTED"]);

/** Queues a terminal write failure for a human; a queue that cannot be written is logged, not thrown. */
async function addReview(
  owned: OwnedWrite,
  error: ReturnType<typeof toErrorEnvelope>["error"],
  log: Logger,
): Promise<string | undefined> {
  const { tool, args, runtime, store, ctx } = owned;
  try {
    return await store.addReview({
      tool: tool.name,
      idempotencyKey: ctx.idempotencyKey,
      args: runtime.scrubber.value(args),
      error,
    });
  } catch (reviewError) {
    log.error({ err: reviewError }, "could not add the failure to the review queue");
    return undefined;
  }
}

/** A store transition after the fact: refused (stale owner) or failed, it is logged, never thrown. */
export async function settleQuietly(transition: Promise<boolean>, log: Logger, name: string): Promise<void> {
  try {
    if (!(await transition))
      log.warn({ transition: name }, "store refused the transition: this call no longer owns the key");
  } catch (error) {
    log.error({ err: error, transition: name }, "store transition failed");
  }
}

function logOf(owned: OwnedWrite): Logger {
  return owned.ctx.logger.child({ idempotencyKey: owned.ctx.idempotencyKey });
}
