import type { TtlCacheStore } from "./ttl-cache.js";

/**
 * A small note a write leaves beside its idempotency key just before its vendor call, for the
 * tool's `reconcile` to read in any process after the answer was lost (a crash, a restart,
 * another replica): what to look for at the vendor when the vendor's own state cannot say it
 * (a draft's Message-ID, gone from drafts once sent). Kept in the shared store, so durable
 * as the key itself, for as long as the key is kept (`ttlMs`, the idempotency retention).
 *
 * It is an entry of the store's TTL cache under its own prefix: both stores already keep
 * those across processes with their own expiry, and it needs no new record state. A hint
 * that is missing (never written, expired) only means reconcile cannot tell: the call answers
 * `OUTCOME_UNKNOWN`, never a second write.
 */
const PREFIX = "reconcile-hint:";

/** Stores `hint` (JSON-serialisable) for the write under `idempotencyKey`, replacing any earlier one. */
export async function rememberReconcileHint(
  store: TtlCacheStore,
  idempotencyKey: string,
  hint: unknown,
  ttlMs: number,
): Promise<void> {
  await store.cacheSet(`${PREFIX}${idempotencyKey}`, { kind: "hit", value: hint ?? null }, ttlMs);
}

/** The hint stored for `idempotencyKey`, or undefined when there is none (or it expired). */
export async function recallReconcileHint(store: TtlCacheStore, idempotencyKey: string): Promise<unknown> {
  const entry = await store.cacheGet(`${PREFIX}${idempotencyKey}`);
  return entry?.kind === "hit" ? entry.value : undefined;
}
