import { randomUUID } from "node:crypto";
import type { Cluster, Redis } from "ioredis";
import { ToolError } from "../errors/index.js";
import type { Logger } from "../logging/index.js";
import { differingFields } from "./canonical.js";
import type { CapUnits, CapUnitsReservation } from "./cap-counter.js";
import { RedisCacheOps } from "./redis-cache.js";
import { connectRedis, type RedisConnection } from "./redis-connection.js";
import { IDENTITY_LUA } from "./redis-identity.js";
import {
  ADD_REVIEW_LUA,
  CLAIM_LUA,
  COMPLETE_LUA,
  GET_REVIEW_LUA,
  LIST_REVIEWS_LUA,
  MARK_UNKNOWN_LUA,
  RELEASE_LUA,
  RENEW_LUA,
  RESOLVE_REVIEW_LUA,
} from "./redis-scripts.js";
import { logRefusedTransition, type RefusalReason } from "./refused-transition.js";
import type {
  ClaimRequest,
  ClaimResult,
  IdempotencyRecord,
  IdempotencyStore,
  NewReview,
  RecordState,
  ReviewRecord,
  StoredOutcome,
} from "./store.js";
import { newStoreId, type StoreIdentity } from "./store-identity.js";
import { assertStoreScope, type StoreScope } from "./store-scope.js";
import { storeUnavailable } from "./store-unavailable.js";
import type { CacheEntry, NewCacheEntry } from "./ttl-cache.js";

/** Options of {@link createRedisStore}. */
export interface RedisStoreOptions extends StoreScope {
  /** `redis://` or `rediss://` URL; ignored when `client` is given. */
  url?: string;
  /**
   * A client to use instead of one built from `url` (Sentinel or Cluster). It should be
   * created with `enableOfflineQueue: false`, a `commandTimeout` and no `keyPrefix`; the store
   * does not close it.
   */
  client?: Redis | Cluster;
  logger?: Logger;
  /** How long a call may wait for the connection and for a reply. Default 1000 ms. */
  timeoutMs?: number;
  /** Least lifetime of a cap counter after its last reservation. Default 7 days. */
  capTtlMs?: number;
  /**
   * Replicas that must hold a claim before the caller may act on it (Redis `WAIT`); 0 by
   * default, 1 for a `redis+sentinel://` URL. Replication is asynchronous: without it, a claim
   * the old primary acknowledged can be lost in a failover and the key acquired a second time.
   * A claim not replicated in time fails with `STORE_UNAVAILABLE`; its lease then lapses and
   * the next attempt reconciles, so nothing acts twice.
   */
  replicaAcks?: number;
}

const DEFAULT_TIMEOUT_MS = 1000;
const DEFAULT_CAP_TTL_MS = 7 * 24 * 3600 * 1000;
const MAX_REVIEW_PAGE = 1000;

const SCRIPTS = {
  gtmIdemClaim: CLAIM_LUA,
  gtmIdemComplete: COMPLETE_LUA,
  gtmIdemRelease: RELEASE_LUA,
  gtmIdemMarkUnknown: MARK_UNKNOWN_LUA,
  gtmIdemRenew: RENEW_LUA,
  gtmReviewAdd: ADD_REVIEW_LUA,
  gtmReviewList: LIST_REVIEWS_LUA,
  gtmReviewGet: GET_REVIEW_LUA,
  gtmReviewResolve: RESOLVE_REVIEW_LUA,
  gtmStoreIdentity: IDENTITY_LUA,
} as const;
type ScriptName = keyof typeof SCRIPTS;
type ScriptReply = string | number | null | ScriptReply[];

/**
 * The Redis idempotency store: every transition is one Lua script (one round trip), keys
 * share the hash tag `{server:env}` so it runs on Redis Cluster. Opening never throws when
 * Redis is down: the client reconnects in the background and each call fails with
 * `STORE_UNAVAILABLE` within about `timeoutMs` (twice that at worst) until Redis is back;
 * an unexpected error reply (a bug, not an outage) is `INTERNAL`. Throws an `Error` at once
 * for a malformed scope or when neither `url` nor `client` is given.
 *
 * Needs Redis 5 or later (scripts read TIME before writing, which needs effect replication)
 * and `maxmemory-policy noeviction`: an evicted record would let a write act twice.
 */
export function createRedisStore(options: RedisStoreOptions): IdempotencyStore {
  assertStoreScope(options);
  const connection = connectRedis({
    url: options.url,
    client: options.client,
    name: `gtm-mcp:${options.server}:${options.env}`,
    logger: options.logger,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  });
  for (const [name, lua] of Object.entries(SCRIPTS)) connection.client.defineCommand(name, { lua });
  return new RedisStore(connection, options);
}

class RedisStore implements IdempotencyStore {
  readonly kind = "redis" as const;
  private readonly connection: RedisConnection;
  private readonly client: Redis | Cluster;
  private readonly options: RedisStoreOptions;
  private readonly prefix: string;
  private readonly capTtlMs: number;
  private readonly replicaAcks: number;
  private knownIdentity: StoreIdentity | undefined;
  private readonly cache: RedisCacheOps;

  constructor(connection: RedisConnection, options: RedisStoreOptions) {
    this.connection = connection;
    this.client = connection.client;
    this.options = options;
    this.prefix = `gtm:{${options.server}:${options.env}}:`;
    this.capTtlMs = options.capTtlMs ?? DEFAULT_CAP_TTL_MS;
    this.replicaAcks = options.replicaAcks ?? 0;
    this.cache = new RedisCacheOps(connection, {
      prefix: this.prefix,
      capKey: (name, runId) => this.capKey(name, runId),
      capTtlMs: this.capTtlMs,
      ...(this.replicaAcks > 0 ? { awaitReplicas: () => this.awaitReplicas() } : {}),
    });
  }

  // The TTL cache and unit caps live in redis-cache.ts.
  cacheGet(key: string): Promise<CacheEntry | null> {
    return this.cache.cacheGet(key);
  }
  cacheSet(key: string, entry: NewCacheEntry, ttlMs: number): Promise<void> {
    return this.cache.cacheSet(key, entry, ttlMs);
  }
  cacheLockFill(key: string, owner: string, leaseMs: number): Promise<boolean> {
    return this.cache.cacheLockFill(key, owner, leaseMs);
  }
  cacheUnlockFill(key: string, owner: string): Promise<boolean> {
    return this.cache.cacheUnlockFill(key, owner);
  }
  reserveCapUnits(cap: CapUnits, units?: number): Promise<CapUnitsReservation> {
    return this.cache.reserveCapUnits(cap, units);
  }
  refundCapUnits(name: string, runId: string, units?: number): Promise<number> {
    return this.cache.refundCapUnits(name, runId, units);
  }

  async claim(request: ClaimRequest): Promise<ClaimResult> {
    const capKeys = request.caps.map((cap) => this.capKey(cap.name, cap.runId));
    const windows = request.windows ?? [];
    const reply = (await this.script(
      "claim",
      "gtmIdemClaim",
      [this.recordKey(request.key), ...capKeys, ...windows.map((w) => this.windowKey(w.name, w.subject))],
      [
        request.fingerprint,
        JSON.stringify(request.fieldHashes),
        request.owner,
        Math.ceil(request.leaseMs),
        Math.ceil(request.ttlMs),
        Math.max(this.capTtlMs, Math.ceil(request.ttlMs)),
        JSON.stringify(capKeys),
        ...request.caps.map((cap) => cap.limit),
        ...windows.map((w) => Math.max(1, Math.ceil(w.windowMs))),
        windows.length,
      ],
    )) as string[];
    if ((reply[0] === "acquired" || reply[0] === "unknown") && this.replicaAcks > 0)
      await this.awaitReplicas();
    switch (reply[0]) {
      case "acquired":
        return { status: "acquired" };
      case "replay":
        return {
          status: "replay",
          outcome: JSON.parse(reply[1]!) as StoredOutcome,
          completedAt: Number(reply[2]),
        };
      case "in_progress":
        return { status: "in_progress", leaseExpiresAt: Number(reply[1]) };
      case "key_reused":
        return {
          status: "key_reused",
          differingFields: differingFields(JSON.parse(reply[1] ?? "{}"), request.fieldHashes),
        };
      case "unknown":
        return { status: "unknown", since: Number(reply[1]), previousOwner: reply[2] ?? "" };
      case "cap_exceeded":
        return {
          status: "cap_exceeded",
          cap: request.caps[Number(reply[1]) - 1]!.name,
          limit: Number(reply[2]),
          used: Number(reply[3]),
        };
      case "window_active": {
        const window = windows[Number(reply[1]) - 1]!;
        return {
          status: "window_active",
          window: window.name,
          subject: window.subject,
          until: Number(reply[2]),
        };
      }
      default:
        throw new ToolError("INTERNAL", "The idempotency store returned an unexpected claim reply.");
    }
  }

  complete(key: string, owner: string, outcome: StoredOutcome, ttlMs: number): Promise<boolean> {
    return this.fenced("complete", key, [owner, JSON.stringify(outcome), Math.ceil(ttlMs)]);
  }

  release(key: string, owner: string): Promise<boolean> {
    return this.fenced("release", key, [owner]);
  }

  markUnknown(key: string, owner: string): Promise<boolean> {
    return this.fenced("markUnknown", key, [owner]);
  }

  renew(key: string, owner: string, leaseMs: number): Promise<boolean> {
    return this.fenced("renew", key, [owner, Math.ceil(leaseMs)]);
  }

  async get(key: string): Promise<IdempotencyRecord | null> {
    const hash = await this.connection.call("get", () => this.client.hgetall(this.recordKey(key)));
    if (hash.state === undefined) return null;
    return {
      key,
      state: hash.state as RecordState,
      fingerprint: hash.fp ?? "",
      owner: hash.owner ?? "",
      leaseExpiresAt: hash.lease === undefined ? null : Number(hash.lease),
      outcome: hash.outcome === undefined ? null : (JSON.parse(hash.outcome) as StoredOutcome),
      createdAt: Number(hash.createdAt),
      updatedAt: Number(hash.updatedAt),
    };
  }

  async capUsage(name: string, runId: string): Promise<number> {
    const used = await this.connection.call("capUsage", () => this.client.get(this.capKey(name, runId)));
    return used === null ? 0 : Number(used);
  }

  async addReview(review: NewReview): Promise<string> {
    const id = randomUUID();
    const stored: StoredReview = {
      id,
      server: this.options.server,
      env: this.options.env,
      tool: review.tool,
      idempotencyKey: review.idempotencyKey,
      args: review.args,
      error: review.error,
      createdAt: Date.now(),
    };
    await this.script("addReview", "gtmReviewAdd", this.reviewKeys("data", "open", "all", "seq"), [
      id,
      JSON.stringify(stored),
    ]);
    return id;
  }

  async listReviews(options: { status?: "open" | "resolved"; limit?: number } = {}): Promise<ReviewRecord[]> {
    const limit = Math.min(Math.max(Math.floor(options.limit ?? 50), 0), MAX_REVIEW_PAGE);
    if (limit === 0) return [];
    const reply = (await this.script(
      "listReviews",
      "gtmReviewList",
      this.reviewKeys(options.status ?? "all", "data", "resolutions"),
      [limit],
    )) as [Array<string | null>, Array<string | null>] | [];
    if (reply.length === 0) return [];
    const [data, resolutions] = reply;
    const out: ReviewRecord[] = [];
    data.forEach((json, i) => {
      if (json !== null) out.push(decodeReview(json, resolutions[i] ?? null));
    });
    return out;
  }

  async getReview(id: string): Promise<ReviewRecord | null> {
    const [json, resolution] = (await this.script(
      "getReview",
      "gtmReviewGet",
      this.reviewKeys("data", "resolutions"),
      [id],
    )) as [string | null, string | null];
    return json === null ? null : decodeReview(json, resolution);
  }

  async resolveReview(id: string, resolution: string): Promise<boolean> {
    const reply = await this.script(
      "resolveReview",
      "gtmReviewResolve",
      this.reviewKeys("open", "resolved", "resolutions"),
      [id, JSON.stringify({ resolvedAt: Date.now(), resolution })],
    );
    return reply === 1;
  }

  async ping(): Promise<boolean> {
    try {
      return (await this.connection.call("ping", () => this.client.ping())) === "PONG";
    } catch {
      return false;
    }
  }

  async identity(): Promise<StoreIdentity> {
    if (this.knownIdentity) return { ...this.knownIdentity };
    const [id, createdAt, created] = (await this.script(
      "identity",
      "gtmStoreIdentity",
      [`${this.prefix}meta`],
      [newStoreId()],
    )) as [string, string, number];
    this.knownIdentity = { id, createdAt: Number(createdAt) };
    if (created === 1) {
      this.options.logger?.warn(
        { storeId: id, scope: `${this.options.server}:${this.options.env}` },
        `created a new idempotency store in Redis: earlier writes of ${this.options.server} (${this.options.env}) are unknown to it (a new, flushed or different Redis)`,
      );
    }
    return { ...this.knownIdentity };
  }

  close(): Promise<void> {
    return this.connection.close();
  }

  /** Waits until `replicaAcks` replicas hold every write so far, within the store's timeout. */
  private async awaitReplicas(): Promise<void> {
    const timeoutMs = this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const acked = await this.connection.call("claim", () =>
      (this.client as Redis).wait(this.replicaAcks, timeoutMs),
    );
    if (acked < this.replicaAcks) {
      throw storeUnavailable("redis", `claim reached ${acked} of ${this.replicaAcks} replicas`);
    }
  }

  private recordKey(key: string): string {
    return `${this.prefix}idem:${key}`;
  }

  private capKey(name: string, runId: string): string {
    // Encoded so that a ':' inside a run id cannot make two (run, cap) pairs share a key.
    return `${this.prefix}cap:${encodeURIComponent(runId)}:${encodeURIComponent(name)}`;
  }

  private windowKey(name: string, subject: string): string {
    return `${this.prefix}win:${encodeURIComponent(name)}:${encodeURIComponent(subject)}`;
  }

  private reviewKeys(...parts: string[]): string[] {
    return parts.map((part) => `${this.prefix}review:${part}`);
  }

  private async fenced(
    operation: "complete" | "release" | "markUnknown" | "renew",
    key: string,
    args: Array<string | number>,
  ): Promise<boolean> {
    const name = `gtmIdem${operation[0]!.toUpperCase()}${operation.slice(1)}` as ScriptName;
    const reply = await this.script(operation, name, [this.recordKey(key)], args);
    if (reply === "ok") return true;
    logRefusedTransition(this.options.logger, "redis", operation, key, reply as RefusalReason);
    return false;
  }

  private script(operation: string, name: ScriptName, keys: string[], args: Array<string | number>) {
    const command = (this.client as unknown as Record<ScriptName, (...a: unknown[]) => Promise<ScriptReply>>)[
      name
    ];
    return this.connection.call(operation, () => command.call(this.client, keys.length, ...keys, ...args));
  }
}

function decodeReview(json: string, resolutionJson: string | null): ReviewRecord {
  const stored = JSON.parse(json) as StoredReview;
  const resolved = resolutionJson === null ? null : (JSON.parse(resolutionJson) as Resolution);
  return {
    ...stored,
    status: resolved === null ? "open" : "resolved",
    resolvedAt: resolved?.resolvedAt ?? null,
    resolution: resolved?.resolution ?? null,
  };
}

/** The immutable part of a review, stored as JSON; status lives in the resolution hash. */
type StoredReview = Omit<ReviewRecord, "status" | "resolvedAt" | "resolution">;

interface Resolution {
  resolvedAt: number;
  resolution: string;
}
