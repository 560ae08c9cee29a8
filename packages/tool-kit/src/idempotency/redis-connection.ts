import { Cluster, Redis } from "ioredis";
import { ToolError } from "../errors/index.js";
import type { Logger } from "../logging/index.js";
import { parseRedisUrl } from "./redis-url.js";
import { storeUnavailable } from "./store-unavailable.js";

/** Options of {@link connectRedis}. */
export interface RedisConnectionOptions {
  /** A Redis URL ({@link parseRedisUrl}: single, Sentinel or Cluster); ignored when `client` is given. */
  url?: string;
  /** A ready-made client (Sentinel, Cluster); not closed by {@link RedisConnection.close}. */
  client?: Redis | Cluster;
  /** Names the connection in `CLIENT LIST`. */
  name: string;
  logger?: Logger;
  /** How long a call may wait for the connection, and then for its reply. */
  timeoutMs: number;
}

/** A Redis client that fails fast: commands are never queued while disconnected. */
export interface RedisConnection {
  readonly client: Redis | Cluster;
  /**
   * Sends one command once the connection is ready (waiting up to `timeoutMs` for it).
   * Throws `ToolError("STORE_UNAVAILABLE")` when not connected in time, on a timeout, a lost
   * connection or a transient reply (LOADING, READONLY, CLUSTERDOWN, …); `INTERNAL` for any
   * other error reply (a bug, not an outage).
   */
  call<T>(operation: string, send: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

// Reply errors that mean "not now" (failover, loading, memory) rather than a bug in a script.
const TRANSIENT_REPLY = /^(LOADING|BUSY|MASTERDOWN|READONLY|CLUSTERDOWN|TRYAGAIN|OOM|NOREPLICAS|MISCONF)\b/;

/**
 * Opens (or adopts) a Redis client for the store. Never throws when Redis is down: the
 * client keeps reconnecting in the background (at most a second apart), and its 'error'
 * events are handled (unhandled, they would crash the process) and logged once per outage.
 */
export function connectRedis(options: RedisConnectionOptions): RedisConnection {
  const { timeoutMs, logger } = options;
  const owned = options.client === undefined;
  const client = options.client ?? buildClient(options);
  let closing = false;
  let down = false;
  const lost = (err?: Error) => {
    if (down || closing) return;
    down = true;
    logger?.warn(
      { store: "redis", ...(err ? { err } : {}) },
      "idempotency store unreachable; writes fail closed",
    );
  };
  client.on("error", lost);
  client.on("close", () => lost());
  client.on("ready", () => {
    if (!down) return;
    down = false;
    logger?.info({ store: "redis" }, "idempotency store reachable again");
  });

  const waitReady = (operation: string) =>
    new Promise<void>((resolve, reject) => {
      const onReady = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        client.off("ready", onReady);
        reject(storeUnavailable("redis", `${operation}: not connected`));
      }, timeoutMs);
      client.once("ready", onReady);
    });

  return {
    client,
    async call(operation, send) {
      if (closing) throw storeUnavailable("redis", `${operation} after close`);
      if (client.status !== "ready") await waitReady(operation);
      try {
        return await send();
      } catch (err) {
        const name = (err as Error | undefined)?.name;
        if (name === "ReplyError" && !TRANSIENT_REPLY.test((err as Error).message)) {
          throw new ToolError("INTERNAL", "The idempotency store rejected a command.", { cause: err });
        }
        throw storeUnavailable("redis", operation, err);
      }
    },
    async close() {
      if (closing) return;
      closing = true;
      if (!owned) return;
      try {
        if (client.status === "ready") await client.quit();
        else client.disconnect();
      } catch {
        client.disconnect();
      }
    },
  };
}

function buildClient(options: RedisConnectionOptions): Redis | Cluster {
  if (!options.url) throw new Error("A Redis store needs a url or a client.");
  const failFast = {
    // Fail fast instead of queueing while disconnected: a tool call must not hang.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    // A claim resent after a reconnect could act on behalf of a caller already told "unavailable".
    autoResendUnfulfilledCommands: false,
    commandTimeout: options.timeoutMs,
    connectTimeout: options.timeoutMs,
    // Keep reconnecting forever, so the server recovers on its own when Redis returns.
    retryStrategy: (times: number) => Math.min(50 * 2 ** Math.min(times, 5), 1000),
    connectionName: options.name,
  };
  const topology = parseRedisUrl(options.url);
  switch (topology.mode) {
    case "single":
      return new Redis(topology.url, failFast);
    case "sentinel":
      // The sentinels name the primary; after a failover the client asks them again and
      // reconnects to the promoted replica (commands fail fast meanwhile).
      return new Redis({
        ...failFast,
        sentinels: topology.sentinels,
        name: topology.name,
        db: topology.db,
        username: topology.username,
        password: topology.password,
        ...(topology.tls ? { tls: {} } : {}),
        sentinelRetryStrategy: (times: number) => Math.min(100 * times, 1000),
        sentinelCommandTimeout: options.timeoutMs,
        enableTLSForSentinelMode: topology.tls,
      });
    case "cluster":
      // Every script's keys share the store's hash tag, so each runs on one node.
      return new Cluster(topology.nodes, {
        enableOfflineQueue: false,
        enableReadyCheck: true,
        clusterRetryStrategy: (times: number) => Math.min(100 * times, 1000),
        slotsRefreshTimeout: options.timeoutMs,
        redisOptions: {
          ...failFast,
          username: topology.username,
          password: topology.password,
          ...(topology.tls ? { tls: {} } : {}),
        },
      });
  }
}
