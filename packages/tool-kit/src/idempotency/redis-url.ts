// No Redis client is imported here: the configuration loader checks GTM_STATE_URL with these
// rules before anything connects.

/** One `host:port` of a Sentinel or Cluster URL. */
export interface RedisNode {
  host: string;
  port: number;
}

/**
 * A Redis `GTM_STATE_URL` taken apart:
 * - `single`: `redis://[user:password@]host:port[/db]` (or `rediss://` for TLS), as ioredis reads it;
 * - `sentinel`: `redis+sentinel://[user:password@]h1:26379,h2:26380/<primary name>[/db]`: the
 *   password is the data nodes' (`requirepass`), the sentinels are asked for the primary;
 * - `cluster`: `redis+cluster://[user:password@]h1:7000,h2:7001`: any reachable nodes, the
 *   client discovers the rest.
 * `rediss+sentinel://` and `rediss+cluster://` connect to the data nodes over TLS.
 */
export type RedisTopology =
  | { mode: "single"; url: string; password: string | undefined }
  | {
      mode: "sentinel";
      sentinels: RedisNode[];
      name: string;
      db: number;
      /** Replicas that must hold a claim before it is acted on (`?replica_acks=N`, default 1). */
      replicaAcks: number;
      username: string | undefined;
      password: string | undefined;
      tls: boolean;
    }
  | {
      mode: "cluster";
      nodes: RedisNode[];
      username: string | undefined;
      password: string | undefined;
      tls: boolean;
    };

/** The URL schemes a Redis store accepts. */
export const REDIS_SCHEMES = [
  "redis",
  "rediss",
  "redis+sentinel",
  "rediss+sentinel",
  "redis+cluster",
  "rediss+cluster",
] as const;

/**
 * Takes a Redis state URL apart; throws an `Error` whose message names what is wrong and never
 * the URL (it may hold a password).
 */
export function parseRedisUrl(url: string): RedisTopology {
  const scheme = /^([a-z+]+):\/\//i.exec(url)?.[1]?.toLowerCase();
  if (scheme === "redis" || scheme === "rediss") {
    if (!URL.canParse(url)) {
      throw new Error(
        `the ${scheme}: URL does not parse (percent-encode special characters of the password)`,
      );
    }
    const password = decodeURIComponent(new URL(url).password);
    return { mode: "single", url, password: password === "" ? undefined : password };
  }
  const match = /^(rediss?)\+(sentinel|cluster):\/\/(?:([^@/]*)@)?([^/?#]+)(\/[^?#]*)?(?:\?([^#]*))?$/i.exec(
    url,
  );
  if (!match) {
    throw new Error(
      "expected redis+sentinel://[:password@]host:port,host:port/<primary name>[/db] or redis+cluster://[:password@]host:port,host:port",
    );
  }
  const [, base, mode, auth, hostList, path, query] = match as unknown as [
    string,
    string,
    string,
    string | undefined,
    string,
    string | undefined,
    string | undefined,
  ];
  const params = new URLSearchParams(query ?? "");
  const tls = base!.toLowerCase() === "rediss";
  const { username, password } = splitAuth(auth);
  const nodes = hostList.split(",").map(parseNode);
  const segments = (path ?? "").split("/").filter((s) => s !== "");
  if (mode.toLowerCase() === "cluster") {
    if (segments.length > 0)
      throw new Error("a redis+cluster: URL takes no path (a Cluster has only database 0)");
    if (query !== undefined) throw new Error("a redis+cluster: URL takes no query");
    return { mode: "cluster", nodes, username, password, tls };
  }
  const [name, dbText, ...extra] = segments;
  if (name === undefined || extra.length > 0) {
    throw new Error(
      "a redis+sentinel: URL needs the primary's name as its path: redis+sentinel://h:26379/mymaster[/db]",
    );
  }
  const db = dbText === undefined ? 0 : Number(dbText);
  if (!Number.isInteger(db) || db < 0 || db > 15) throw new Error("the database number must be 0 to 15");
  const unknown = [...params.keys()].filter((k) => k !== "replica_acks");
  if (unknown.length > 0)
    throw new Error(`unknown parameter ${JSON.stringify(unknown[0])}; expected replica_acks`);
  const replicaAcks = Number(params.get("replica_acks") ?? "1");
  if (!Number.isInteger(replicaAcks) || replicaAcks < 0 || replicaAcks > 5)
    throw new Error("replica_acks must be 0 to 5");
  return {
    mode: "sentinel",
    sentinels: nodes,
    name: decodeURIComponent(name),
    db,
    replicaAcks,
    username,
    password,
    tls,
  };
}

function splitAuth(auth: string | undefined): { username: string | undefined; password: string | undefined } {
  if (auth === undefined || auth === "") return { username: undefined, password: undefined };
  const at = auth.indexOf(":");
  const user = at < 0 ? auth : auth.slice(0, at);
  const pass = at < 0 ? "" : auth.slice(at + 1);
  try {
    return {
      username: user === "" ? undefined : decodeURIComponent(user),
      password: pass === "" ? undefined : decodeURIComponent(pass),
    };
  } catch {
    throw new Error("the user or password is not valid percent-encoding");
  }
}

function parseNode(text: string): RedisNode {
  const match = /^(\[[0-9a-f:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/i.exec(text.trim());
  const port = Number(match?.[2]);
  if (!match || port < 1 || port > 65_535)
    throw new Error(`expected host:port for every node, got ${JSON.stringify(text.slice(0, 80))}`);
  return { host: match[1]!.replace(/^\[|\]$/g, ""), port };
}
