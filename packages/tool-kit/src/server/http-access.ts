/** Which check refused a request. */
export type AccessRefusal = "host" | "origin";

/** The allow-lists of {@link createAccessCheck}. */
export interface AccessPolicy {
  /** `Host` header values, lower case; an entry without a port matches that host at any port. */
  allowedHosts: readonly string[];
  /** Origins such as `https://app.example.com`. */
  allowedOrigins: readonly string[];
}

/**
 * DNS-rebinding and cross-site protection, checked before authentication: the `Host` header
 * must be on the allow-list (a rebound name is not), and an `Origin` header, when present
 * (browsers send one; other clients do not), must be on the origin allow-list or name an
 * allowed Host itself (a same-origin request: the page was served by this server's own
 * address). A missing `Host`, or an `Origin` that is not an http(s) origin (`null`
 * included), is refused.
 */
export function createAccessCheck(
  policy: AccessPolicy,
): (headers: { host?: string | undefined; origin?: string | undefined }) => AccessRefusal | undefined {
  const exact = new Set(policy.allowedHosts.map((h) => h.toLowerCase()));
  const anyPort = new Set([...exact].filter((h) => splitHost(h)?.port === undefined));
  const origins = new Set(policy.allowedOrigins.map((o) => o.toLowerCase()));
  return ({ host, origin }) => {
    const value = host?.trim().toLowerCase();
    const parts = value === undefined ? undefined : splitHost(value);
    if (value === undefined || parts === undefined) return "host";
    if (!exact.has(value) && !anyPort.has(parts.name)) return "host";
    if (origin === undefined) return undefined;
    const url = parseOrigin(origin);
    if (url === undefined) return "origin";
    if (origins.has(url.origin.toLowerCase())) return undefined;
    // Same origin: the Origin's host is an allowed Host (with its port, or any port when the
    // entry names none), so a rebound name is still refused.
    const originHost = url.host.toLowerCase();
    const originName = splitHost(originHost)?.name;
    if (exact.has(originHost) || (originName !== undefined && anyPort.has(originName))) return undefined;
    return "origin";
  };
}

/** The Host values a loopback listener accepts by default: the loopback names at its port. */
export function loopbackHosts(port: number): string[] {
  return [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`];
}

/** `name[:port]` or `[v6][:port]`; undefined when it is neither. */
function splitHost(value: string): { name: string; port: string | undefined } | undefined {
  const match = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/.exec(value);
  if (!match) return undefined;
  return { name: match[1] as string, port: match[2] };
}

/** An http(s) origin (no path, query or credentials), or undefined. */
function parseOrigin(origin: string): URL | undefined {
  try {
    const url = new URL(origin.trim());
    if (url.protocol !== "http:" && url.protocol !== "https:") return undefined;
    if (url.username !== "" || url.password !== "") return undefined;
    return url;
  } catch {
    return undefined;
  }
}
