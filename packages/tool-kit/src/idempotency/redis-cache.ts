import type { Cluster, Redis } from "ioredis";
import type { CapCounterStore, CapUnits, CapUnitsReservation } from "./cap-counter.js";
import type { RedisConnection } from "./redis-connection.js";
import type { CacheEntry, NewCacheEntry, TtlCacheStore } from "./ttl-cache.js";

/** KEYS: lock; ARGV: owner. Deletes the lock only when the owner still holds it. */
const UNLOCK_FILL_LUA = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  return 1
end
return 0
`;

/**
 * KEYS: counter; ARGV: units, limit, capTtlMs. Returns {1, used} after reserving, or
 * {0, used} when the units do not fit (nothing changed).
 */
const RESERVE_UNITS_LUA = `
local used = tonumber(redis.call('GET', KEYS[1]) or '0')
local units = tonumber(ARGV[1])
if used + units > tonumber(ARGV[2]) then return {0, used} end
used = redis.call('INCRBY', KEYS[1], units)
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[3]) then redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3])) end
return {1, used}
`;

/** KEYS: counter; ARGV: units. Never below zero; returns the count after. */
const REFUND_UNITS_LUA = `
local used = tonumber(redis.call('GET', KEYS[1]) or '0')
if used <= 0 then return 0 end
local units = math.min(tonumber(ARGV[1]), used)
return redis.call('DECRBY', KEYS[1], units)
`;

const SCRIPTS = {
  gtmCacheUnlockFill: UNLOCK_FILL_LUA,
  gtmCapReserveUnits: RESERVE_UNITS_LUA,
  gtmCapRefundUnits: REFUND_UNITS_LUA,
} as const;
type ScriptName = keyof typeof SCRIPTS;

/** Where {@link RedisCacheOps} keeps its keys; shared with the store so caps use one counter. */
export interface RedisCacheLayout {
  /** The store's key prefix with its hash tag: `gtm:{server:env}:`. */
  prefix: string;
  /** The write path's cap counter key of a (cap, run). */
  capKey(name: string, runId: string): string;
  /** Least lifetime of a cap counter after a reservation. */
  capTtlMs: number;
  /**
   * Waits for the store's replicas (Sentinel) to hold every write so far, or throws
   * `STORE_UNAVAILABLE`: a reservation lost in a failover could let a cap be exceeded.
   */
  awaitReplicas?: () => Promise<void>;
}

/**
 * The TTL cache and unit caps on Redis: an entry is a JSON string written with `SET … PX`
 * (Redis expires it), the fill lock a `SET NX PX` whose unlock checks the owner, and a unit
 * reservation one Lua script on the write path's own cap counter. Every key carries the
 * store's hash tag, so all of it runs on Redis Cluster.
 */
export class RedisCacheOps implements TtlCacheStore, CapCounterStore {
  private readonly connection: RedisConnection;
  private readonly client: Redis | Cluster;
  private readonly layout: RedisCacheLayout;

  constructor(connection: RedisConnection, layout: RedisCacheLayout) {
    this.connection = connection;
    this.client = connection.client;
    this.layout = layout;
    for (const [name, lua] of Object.entries(SCRIPTS)) this.client.defineCommand(name, { lua });
  }

  async cacheGet(key: string): Promise<CacheEntry | null> {
    const json = await this.connection.call("cacheGet", () => this.client.get(this.entryKey(key)));
    return json === null ? null : (JSON.parse(json) as CacheEntry);
  }

  async cacheSet(key: string, entry: NewCacheEntry, ttlMs: number): Promise<void> {
    const ttl = Math.max(1, Math.ceil(ttlMs));
    const now = Date.now();
    const json = JSON.stringify({
      kind: entry.kind,
      value: entry.value,
      storedAt: entry.storedAt ?? now,
      expiresAt: now + ttl,
    });
    await this.connection.call("cacheSet", () => this.client.set(this.entryKey(key), json, "PX", ttl));
  }

  async cacheLockFill(key: string, owner: string, leaseMs: number): Promise<boolean> {
    const lease = Math.max(1, Math.ceil(leaseMs));
    const reply = await this.connection.call("cacheLockFill", () =>
      this.client.set(this.lockKey(key), owner, "PX", lease, "NX"),
    );
    return reply === "OK";
  }

  async cacheUnlockFill(key: string, owner: string): Promise<boolean> {
    return (await this.script("cacheUnlockFill", "gtmCacheUnlockFill", [this.lockKey(key)], [owner])) === 1;
  }

  async reserveCapUnits(cap: CapUnits, units = 1): Promise<CapUnitsReservation> {
    const [reserved, used] = (await this.script(
      "reserveCapUnits",
      "gtmCapReserveUnits",
      [this.layout.capKey(cap.name, cap.runId)],
      [units, cap.limit, this.layout.capTtlMs],
    )) as [number, number];
    // Not replicated in time: the unit stays counted (the safe side) and nothing is spent.
    if (reserved === 1) await this.layout.awaitReplicas?.();
    return reserved === 1
      ? { status: "reserved", used: Number(used) }
      : { status: "cap_exceeded", limit: cap.limit, used: Number(used) };
  }

  async refundCapUnits(name: string, runId: string, units = 1): Promise<number> {
    return Number(
      await this.script("refundCapUnits", "gtmCapRefundUnits", [this.layout.capKey(name, runId)], [units]),
    );
  }

  private entryKey(key: string): string {
    return `${this.layout.prefix}cache:${key}`;
  }

  private lockKey(key: string): string {
    return `${this.layout.prefix}cachefill:${key}`;
  }

  private script(operation: string, name: ScriptName, keys: string[], args: Array<string | number>) {
    const command = (this.client as unknown as Record<ScriptName, (...a: unknown[]) => Promise<unknown>>)[
      name
    ];
    return this.connection.call(operation, () => command.call(this.client, keys.length, ...keys, ...args));
  }
}
