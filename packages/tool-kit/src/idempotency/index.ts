// The public surface of `@gtm-mcp/tool-kit/idempotency`. Any export added here is public API;
// use named exports, not wildcards.

export {
  type ArgsFingerprint,
  canonicalJson,
  differingFields,
  fingerprintArgs,
  sha256Hex,
} from "./canonical.js";
export type { CapCounterStore, CapUnits, CapUnitsReservation } from "./cap-counter.js";
export { type HeldKeys, trackHeldKeys } from "./held-keys.js";
export {
  defaultStatePath,
  type OpenStoreOptions,
  openStore,
  parseStateUrl,
  type StateLocation,
} from "./open-store.js";
export {
  type FilledEntry,
  type ReadThroughOptions,
  type ReadThroughResult,
  readThrough,
} from "./read-through.js";
export { recallReconcileHint, rememberReconcileHint } from "./reconcile-hint.js";
export type {
  CapReservation,
  ClaimRequest,
  ClaimResult,
  IdempotencyRecord,
  IdempotencyStore,
  NewReview,
  RecordState,
  ReviewRecord,
  StoredOutcome,
  WindowReservation,
} from "./store.js";
export { newStoreId, type StoreIdentity } from "./store-identity.js";
export type { StoreScope } from "./store-scope.js";
export type { CacheEntry, CacheEntryKind, NewCacheEntry, TtlCacheStore } from "./ttl-cache.js";
export { useOnce } from "./use-once.js";
