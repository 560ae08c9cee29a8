import type { Route } from "./types.js";

/** A route compiled for matching. */
export interface CompiledRoute {
  route: Route;
  segments: string[];
}

/** Splits each pattern once. */
export function compileRoutes(routes: readonly Route[]): CompiledRoute[] {
  return routes.map((route) => ({ route, segments: route.pattern.split("/").filter(Boolean) }));
}

/**
 * The route for `method` and `pathname`, with its `:name` parameters decoded; literal
 * segments win over parameters so `/drafts/send` is not read as a draft id. `methodMismatch`
 * tells a 405 from a 404.
 */
export function matchRoute(
  routes: readonly CompiledRoute[],
  method: string,
  pathname: string,
): { route: Route; params: Record<string, string> } | { methodMismatch: boolean } {
  const parts = pathname.split("/").filter(Boolean);
  let best: { route: Route; params: Record<string, string>; literals: number } | undefined;
  let pathMatched = false;
  for (const { route, segments } of routes) {
    if (segments.length !== parts.length) continue;
    const params: Record<string, string> = {};
    let literals = 0;
    let ok = true;
    for (let i = 0; i < segments.length && ok; i++) {
      const segment = segments[i]!;
      const part = parts[i]!;
      if (segment.startsWith(":")) {
        try {
          params[segment.slice(1)] = decodeURIComponent(part);
        } catch {
          ok = false;
        }
      } else if (segment === part) literals++;
      else ok = false;
    }
    if (!ok) continue;
    pathMatched = true;
    if (route.method !== method) continue;
    if (!best || literals > best.literals) best = { route, params, literals };
  }
  return best ? { route: best.route, params: best.params } : { methodMismatch: pathMatched };
}
