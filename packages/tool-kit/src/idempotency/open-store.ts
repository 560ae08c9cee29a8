import type { Logger } from "../logging/index.js";
import { parseRedisUrl } from "./redis-url.js";
import { parseStateUrl } from "./state-url.js";
import type { IdempotencyStore } from "./store.js";
import { assertStoreScope, type StoreScope } from "./store-scope.js";

export { defaultStatePath, parseStateUrl, type StateLocation } from "./state-url.js";

/** Options of {@link openStore}. */
export interface OpenStoreOptions extends StoreScope {
  /** `GTM_STATE_URL`; see {@link parseStateUrl}. */
  url: string | undefined;
  logger?: Logger;
  /** Redis only: how long a call may wait for the connection and a reply. Default 1000 ms. */
  timeoutMs?: number;
  /** SQLite only: how long a call waits for another process's lock. Default 5000 ms. */
  busyTimeoutMs?: number;
}

/**
 * Opens the idempotency store `GTM_STATE_URL` names, bound to one server and environment.
 * A Redis that is down at open does not fail it: calls fail with `STORE_UNAVAILABLE` until
 * Redis is reachable. Throws an `Error` for a malformed URL or scope, for the embedded store
 * in `production` (it cannot be shared by replicas), and `ToolError("STORE_UNAVAILABLE")`
 * when the SQLite file cannot be opened.
 */
export async function openStore(options: OpenStoreOptions): Promise<IdempotencyStore> {
  assertStoreScope(options);
  const location = parseStateUrl(options.url, options);
  const { server, env, logger } = options;
  if (location.kind === "redis") {
    const topology = parseRedisUrl(location.url);
    const replicaAcks = topology.mode === "sentinel" ? topology.replicaAcks : 0;
    // Loaded here, not at start: a server on the embedded store never links the Redis client.
    const { createRedisStore } = await import("./redis-store.js");
    const store = createRedisStore({
      server,
      env,
      url: location.url,
      logger,
      timeoutMs: options.timeoutMs,
      replicaAcks,
    });
    // Give a reachable Redis a moment to connect, so the first call does not race the handshake;
    // once it answers, read (or make, with a warning) its identity.
    if (await store.ping()) await store.identity().catch(() => undefined);
    return store;
  }
  if (env === "production") {
    throw new Error(
      "GTM_ENV=production refuses the embedded SQLite store: set GTM_STATE_URL=redis://… (or rediss://…).",
    );
  }
  const { openSqliteStore } = await import("./sqlite-store.js");
  return openSqliteStore({ server, env, path: location.path, logger, busyTimeoutMs: options.busyTimeoutMs });
}
