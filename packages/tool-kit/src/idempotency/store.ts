import type { ErrorEnvelope } from "../errors/index.js";
import type { CapCounterStore } from "./cap-counter.js";
import type { StoreIdentity } from "./store-identity.js";
import type { TtlCacheStore } from "./ttl-cache.js";

/**
 * What a completed key remembers: the first call's result (success), or its terminal
 * error envelope (terminal errors with no side effect replay too).
 */
export type StoredOutcome =
  | { kind: "ok"; result: Record<string, unknown> }
  | { kind: "error"; envelope: ErrorEnvelope };

/** A cap counter to reserve one unit of, atomically with a claim. */
export interface CapReservation {
  /** The cap's name (`writes`, `sends`, `credits`). */
  name: string;
  /** The run the counter belongs to (`GTM_RUN_ID`). */
  runId: string;
  /** The most units the run may use. */
  limit: number;
}

/**
 * A time-window limit keyed by something other than the run (a recipient's cooldown): at
 * most one acquisition per (`name`, `subject`) per `windowMs`, across runs and processes,
 * checked and taken atomically with the claim. Released with the claim (nothing was done);
 * kept when the claim completes or may have acted.
 */
export interface WindowReservation {
  /** The limit's name (`recipient_cooldown`). */
  name: string;
  /** What it is keyed by (a normalised address). */
  subject: string;
  windowMs: number;
}

/** Arguments of {@link IdempotencyStore.claim}. */
export interface ClaimRequest {
  /** The key within this store's scope: `<tool>:<sha256>`. */
  key: string;
  /** SHA-256 of the canonical arguments; a different fingerprint under one key is key reuse. */
  fingerprint: string;
  /** SHA-256 of each top-level argument's canonical JSON, keyed by its name, to name differing fields. */
  fieldHashes: Record<string, string>;
  /**
   * A fresh random token naming this attempt; every later transition must present it.
   * Claiming again with the same owner (and fingerprint) while the record is in progress is
   * idempotent: it answers what the first claim answered (`acquired`, or `unknown` after a
   * takeover), refreshes the lease and reserves no cap again, so a claim whose reply was
   * lost (a timeout) can be retried once with the same token without leaving a ghost record.
   */
  owner: string;
  /** How long the claim holds without renewal. */
  leaseMs: number;
  /** Retention of the record once completed (`GTM_IDEMPOTENCY_TTL_HOURS`). */
  ttlMs: number;
  /** Cap counters to reserve one unit of, only when the key is newly acquired. */
  caps: CapReservation[];
  /** Time-window limits to take, only when the key is newly acquired (after the caps). */
  windows?: WindowReservation[];
}

/**
 * The answer to a claim:
 * - `acquired`: the caller owns the key and must complete, release or mark it unknown;
 * - `replay`: the key completed earlier; return its outcome, do not act;
 * - `in_progress`: another owner holds a live lease;
 * - `key_reused`: the key exists with another fingerprint; `differingFields` names the
 *   top-level arguments whose hashes differ;
 * - `unknown`: an earlier attempt may or may not have acted (it was marked unknown, or its
 *   lease expired without completion). The caller now owns the key (fenced by its owner
 *   token, with a fresh lease) and must reconcile before acting. No cap is reserved again;
 * - `cap_exceeded`: acquiring would exceed a cap; nothing was reserved or written;
 * - `window_active`: a time-window limit is held by another key until `until` (epoch ms);
 *   nothing was reserved or written.
 */
export type ClaimResult =
  | { status: "acquired" }
  | { status: "replay"; outcome: StoredOutcome; completedAt: number }
  | { status: "in_progress"; leaseExpiresAt: number }
  | { status: "key_reused"; differingFields: string[] }
  | { status: "unknown"; since: number; previousOwner: string }
  | { status: "cap_exceeded"; cap: string; limit: number; used: number }
  | { status: "window_active"; window: string; subject: string; until: number };

/** The states a record can be in. */
export type RecordState = "in_progress" | "completed" | "unknown";

/** A stored record, as {@link IdempotencyStore.get} returns it. */
export interface IdempotencyRecord {
  key: string;
  state: RecordState;
  fingerprint: string;
  owner: string;
  leaseExpiresAt: number | null;
  outcome: StoredOutcome | null;
  createdAt: number;
  updatedAt: number;
}

/** A terminal write failure waiting for a human. */
export interface ReviewRecord {
  id: string;
  server: string;
  env: string;
  tool: string;
  idempotencyKey: string;
  /** The call's arguments, already redacted. */
  args: Record<string, unknown>;
  error: ErrorEnvelope["error"];
  createdAt: number;
  status: "open" | "resolved";
  resolvedAt: number | null;
  resolution: string | null;
}

/** What the caller supplies to add a review record. */
export type NewReview = Pick<ReviewRecord, "tool" | "idempotencyKey" | "args" | "error">;

/**
 * The idempotency and cap store. Bound to one scope (server + environment) when opened;
 * every transition after a claim is fenced by the owner token: a stale owner's
 * complete/release/markUnknown/renew returns `false` and changes nothing.
 *
 * Every method throws `ToolError("STORE_UNAVAILABLE")` (retryable) when the store cannot
 * be reached within its short timeout; it never hangs a tool call. It is also the TTL cache
 * and the unit-counting caps of read tools that pay per upstream call ({@link TtlCacheStore},
 * {@link CapCounterStore}).
 */
export interface IdempotencyStore extends TtlCacheStore, CapCounterStore {
  /** `redis` or `sqlite`: for logs and `/healthz`. */
  readonly kind: "redis" | "sqlite";
  /** One round trip: claim the key and reserve caps, or say why not. */
  claim(request: ClaimRequest): Promise<ClaimResult>;
  /** Stores the outcome and ends the lease. */
  complete(key: string, owner: string, outcome: StoredOutcome, ttlMs: number): Promise<boolean>;
  /** Forgets the key (it never acted) and refunds the caps its claim reserved. */
  release(key: string, owner: string): Promise<boolean>;
  /** The attempt may have acted: the next claim must reconcile. */
  markUnknown(key: string, owner: string): Promise<boolean>;
  /** Extends the owner's lease. */
  renew(key: string, owner: string, leaseMs: number): Promise<boolean>;
  /** The record under a key, or null. */
  get(key: string): Promise<IdempotencyRecord | null>;
  /** Units of a cap used so far in a run. */
  capUsage(name: string, runId: string): Promise<number>;
  addReview(review: NewReview): Promise<string>;
  listReviews(options?: { status?: "open" | "resolved"; limit?: number }): Promise<ReviewRecord[]>;
  getReview(id: string): Promise<ReviewRecord | null>;
  resolveReview(id: string, resolution: string): Promise<boolean>;
  /** Cheap reachability check (for health endpoints). */
  ping(): Promise<boolean>;
  /**
   * Which store this is (see {@link StoreIdentity}); made on first use, with a warning in the
   * log, when the store holds none (new, emptied or replaced). Throws `STORE_UNAVAILABLE`.
   */
  identity(): Promise<StoreIdentity>;
  close(): Promise<void>;
}
