import { homedir } from "node:os";
import { isAbsolute, join, resolve } from "node:path";
import type { Logger } from "../logging/index.js";
import { createRedisStore } from "./redis-store.js";
import { openSqliteStore } from "./sqlite-store.js";
import type { IdempotencyStore } from "./store.js";
import { assertStoreScope, type StoreScope } from "./store-scope.js";

/** Where the store lives, as {@link parseStateUrl} reads `GTM_STATE_URL`. */
export type StateLocation = { kind: "redis"; url: string } | { kind: "sqlite"; path: string };

const ACCEPTED_FORMS =
  "GTM_STATE_URL must be redis://host:port[/db], rediss://host:port[/db], sqlite:<path> " +
  "(relative or absolute; sqlite::memory: for tests), or unset for the default file under the state directory";

/**
 * Reads `GTM_STATE_URL`: `redis://…` and `rediss://…` name a Redis; `sqlite:<path>` a file
 * (relative paths resolve from the working directory, `~/` from the home directory,
 * `sqlite::memory:` is an in-memory database); unset or blank means the default file
 * `$XDG_STATE_HOME/gtm-mcp/<server>-<env>.sqlite` (`~/.local/state/gtm-mcp/…` without
 * `XDG_STATE_HOME`). Throws an `Error` listing the accepted forms for anything else; the
 * message names only the scheme, never the value (it may hold a password).
 */
export function parseStateUrl(url: string | undefined, scope: StoreScope): StateLocation {
  const value = url?.trim() ?? "";
  if (value === "") return { kind: "sqlite", path: defaultStatePath(scope) };
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(value)?.[1]?.toLowerCase();
  if (scheme === "redis" || scheme === "rediss") {
    if (!value.slice(scheme.length + 1).startsWith("//")) throw new Error(`${ACCEPTED_FORMS}.`);
    return { kind: "redis", url: value };
  }
  if (scheme === "sqlite") {
    let path = value.slice("sqlite:".length);
    // `sqlite:///abs/file` is the URL spelling of `sqlite:/abs/file`.
    if (path.startsWith("//")) path = path.slice(2);
    if (path === ":memory:") return { kind: "sqlite", path };
    if (path === "") throw new Error(`${ACCEPTED_FORMS}; sqlite: needs a path.`);
    if (path === "~" || path.startsWith("~/")) path = join(homedir(), path.slice(1));
    return { kind: "sqlite", path: resolve(path) };
  }
  const shown = scheme === undefined ? "a value with no scheme" : `a ${JSON.stringify(`${scheme}:`)} URL`;
  throw new Error(`${ACCEPTED_FORMS}; got ${shown}.`);
}

/** The default state file of a server and environment. */
export function defaultStatePath(scope: StoreScope): string {
  const xdg = process.env.XDG_STATE_HOME;
  // The XDG spec says a relative XDG_STATE_HOME is invalid and must be ignored.
  const base = xdg && isAbsolute(xdg) ? xdg : join(homedir(), ".local", "state");
  return join(base, "gtm-mcp", `${scope.server}-${scope.env}.sqlite`);
}

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
    const store = createRedisStore({ server, env, url: location.url, logger, timeoutMs: options.timeoutMs });
    // Give a reachable Redis a moment to connect, so the first call does not race the handshake.
    await store.ping();
    return store;
  }
  if (env === "production") {
    throw new Error(
      "GTM_ENV=production refuses the embedded SQLite store: set GTM_STATE_URL=redis://… (or rediss://…).",
    );
  }
  return openSqliteStore({ server, env, path: location.path, logger, busyTimeoutMs: options.busyTimeoutMs });
}
