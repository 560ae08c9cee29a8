import { homedir } from "node:os";
import { isAbsolute, join, resolve } from "node:path";
import { parseRedisUrl, REDIS_SCHEMES } from "./redis-url.js";
import type { StoreScope } from "./store-scope.js";

// No store implementation is imported here: the configuration loader checks GTM_STATE_URL
// with these rules before anything connects, without loading Redis or SQLite code.

/** Where the store lives, as {@link parseStateUrl} reads `GTM_STATE_URL`. */
export type StateLocation = { kind: "redis"; url: string } | { kind: "sqlite"; path: string };

/** What `GTM_STATE_URL` may be: the text of every refusal. */
export const STATE_URL_FORMS =
  "expected redis://host:port[/db], rediss://host:port[/db], redis+sentinel://host:port,…/<primary name>[/db], " +
  "redis+cluster://host:port,…, sqlite:<path> " +
  "(relative or absolute; sqlite::memory: for tests), or unset for the default file under the state directory";

/**
 * A `GTM_STATE_URL` that is not one of the accepted forms. `problem` names what is wrong
 * and the accepted forms; it never contains the value (a Redis URL may hold a password),
 * at most its scheme.
 */
export class StateUrlError extends Error {
  override readonly name = "StateUrlError";
  readonly problem: string;

  constructor(problem: string) {
    super(`GTM_STATE_URL: ${problem}`);
    this.problem = problem;
  }
}

/**
 * Reads `GTM_STATE_URL`: `redis://…` and `rediss://…` name a Redis; `sqlite:<path>` a file
 * (relative paths resolve from the working directory, `~/` from the home directory,
 * `sqlite::memory:` is an in-memory database); unset or blank means the default file
 * `$XDG_STATE_HOME/gtm-mcp/<server>-<env>.sqlite` (`~/.local/state/gtm-mcp/…` without
 * `XDG_STATE_HOME`). Throws a {@link StateUrlError} listing the accepted forms for anything
 * else; the message names only the scheme, never the value (it may hold a password).
 */
export function parseStateUrl(url: string | undefined, scope: StoreScope): StateLocation {
  return checkStateUrl(url) ?? { kind: "sqlite", path: defaultStatePath(scope) };
}

/**
 * The rules of {@link parseStateUrl} without a scope: the location `url` names, or
 * `undefined` when it is unset or blank (the default file). Throws a {@link StateUrlError}.
 */
export function checkStateUrl(url: string | undefined): StateLocation | undefined {
  const value = url?.trim() ?? "";
  if (value === "") return undefined;
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(value)?.[1]?.toLowerCase();
  if (scheme !== undefined && (REDIS_SCHEMES as readonly string[]).includes(scheme)) {
    if (!value.slice(scheme.length + 1).startsWith("//")) {
      throw new StateUrlError(`${STATE_URL_FORMS}; a ${scheme}: URL needs // before the host.`);
    }
    // Refuse here what the Redis client would throw on later; the message never holds the URL.
    try {
      parseRedisUrl(value);
    } catch (error) {
      throw new StateUrlError(`${STATE_URL_FORMS}; ${(error as Error).message}.`);
    }
    return { kind: "redis", url: value };
  }
  if (scheme === "sqlite") {
    let path = value.slice("sqlite:".length);
    // `sqlite:///abs/file` is the URL spelling of `sqlite:/abs/file`.
    if (path.startsWith("//")) path = path.slice(2);
    if (path === ":memory:") return { kind: "sqlite", path };
    if (path === "") throw new StateUrlError(`${STATE_URL_FORMS}; sqlite: needs a path.`);
    if (path === "~" || path.startsWith("~/")) path = join(homedir(), path.slice(1));
    return { kind: "sqlite", path: resolve(path) };
  }
  const shown = scheme === undefined ? "a value with no scheme" : `a ${JSON.stringify(`${scheme}:`)} URL`;
  throw new StateUrlError(`${STATE_URL_FORMS}; got ${shown}.`);
}

/** The default state file of a server and environment. */
export function defaultStatePath(scope: StoreScope): string {
  const xdg = process.env.XDG_STATE_HOME;
  // The XDG spec says a relative XDG_STATE_HOME is invalid and must be ignored.
  const base = xdg && isAbsolute(xdg) ? xdg : join(homedir(), ".local", "state");
  return join(base, "gtm-mcp", `${scope.server}-${scope.env}.sqlite`);
}
