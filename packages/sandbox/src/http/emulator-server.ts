import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { type FaultConfig, faultConfigSchema } from "../faults/fault-config.js";
import type { FaultInjector } from "../faults/fault-injector.js";
import { compileRoutes, matchRoute } from "./match-route.js";
import type { EmulatorReply, EmulatorRequest, Route } from "./types.js";

/** Where admin routes live: under no vendor's paths. */
export const ADMIN_PREFIX = "/_sandbox";

/** What makes one vendor's emulator: its routes and how it answers failures. */
export interface EmulatorDefinition {
  name: string;
  routes: Route[];
  faults: FaultInjector;
  /** A reply when the request is not authenticated (checked before anything else). */
  authenticate?(request: EmulatorRequest, route: Route): EmulatorReply | undefined;
  /** Rate limits: a 429 (or the vendor's equivalent) when over, and headers to add when admitted. */
  admit?(
    request: EmulatorRequest,
    route: Route,
  ): { reject?: EmulatorReply; headers?: Record<string, string> };
  /** The vendor's answers to injected faults. */
  failure(kind: "rate_limit" | "server_error" | "outage", route: Route, status?: number): EmulatorReply;
  /** The vendor's answer to an unknown path (405 when `methodMismatch`). */
  unknownRoute(request: EmulatorRequest, methodMismatch: boolean): EmulatorReply;
  /** What `GET /_sandbox/state` answers. */
  state(): unknown;
  /** Admin routes of this vendor beyond health, state and faults (undefined: not one of them). */
  admin?(request: EmulatorRequest, path: string): EmulatorReply | undefined;
  /** Called after the faults are replaced at run time. */
  onFaults?(config: FaultConfig): void;
}

/** How {@link serveEmulator} serves. */
export interface ServeOptions {
  host?: string;
  port?: number;
  /** False: no rate limits at all (the definition's `admit` is never asked; no 429 of its own). */
  limits?: boolean;
}

/** A running emulator. */
export interface RunningEmulator {
  readonly name: string;
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Serves one emulator over HTTP. Order per request: route → authentication → injected faults
 * (latency first, then outage, 5xx burst or 429) → rate limits → the vendor handler → for a
 * write chosen for commit-then-drop, the socket is destroyed after the write took effect.
 * Vendor requests are counted by operation (`GET /_sandbox/requests`).
 */
export async function serveEmulator(
  definition: EmulatorDefinition,
  options: ServeOptions,
): Promise<RunningEmulator> {
  const served: Served = {
    definition,
    routes: compileRoutes(definition.routes),
    limits: options.limits !== false,
    requests: {},
  };
  const server = createServer((req, res) => {
    handle(served, req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, { status: 500, body: { message: errorText(error) } });
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = options.host ?? "127.0.0.1";
  return {
    name: definition.name,
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** One served emulator: its definition, compiled routes, whether limits apply, requests so far. */
interface Served {
  definition: EmulatorDefinition;
  routes: ReturnType<typeof compileRoutes>;
  limits: boolean;
  /** Vendor requests that matched a route, by operation (admin requests are not counted). */
  requests: Record<string, number>;
}

async function handle(served: Served, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { definition, routes } = served;
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const url = new URL(req.url ?? "/", "http://127.0.0.1");
  const rawBody = Buffer.concat(chunks).toString("utf8");
  const request: EmulatorRequest = {
    method: req.method ?? "GET",
    pathname: url.pathname,
    query: url.searchParams,
    headers: req.headers,
    rawBody,
    body: parseJson(rawBody),
    params: {},
  };
  if (url.pathname.startsWith(`${ADMIN_PREFIX}/`)) return send(res, admin(served, request));

  const matched = matchRoute(routes, request.method, request.pathname);
  if (!("route" in matched)) return send(res, definition.unknownRoute(request, matched.methodMismatch));
  const { route } = matched;
  request.params = matched.params;
  served.requests[route.operation] = (served.requests[route.operation] ?? 0) + 1;

  const unauthenticated = definition.authenticate?.(request, route);
  if (unauthenticated) return send(res, unauthenticated);

  const fault = definition.faults.decide(route.operation, route.write === true);
  if (fault.delayMs > 0) await sleepAtLeast(fault.delayMs);
  if (fault.fail) return send(res, definition.failure(fault.fail, route, fault.status));

  const admitted = (served.limits ? definition.admit?.(request, route) : undefined) ?? {};
  if (admitted.reject) return send(res, admitted.reject);

  const reply = await route.handler(request);
  if (fault.dropAfterCommit && reply.status < 300) {
    // The write is done; the client never learns it.
    res.destroy();
    return;
  }
  send(res, { ...reply, headers: { ...admitted.headers, ...reply.headers } });
}

/**
 * Waits at least `ms`: a timer may fire up to a millisecond or so early against
 * `performance.now()` (it counts from the event loop's cached time), so a latency meant as a
 * floor is topped up until it is one.
 */
export async function sleepAtLeast(ms: number): Promise<void> {
  const until = performance.now() + ms;
  for (let left = ms; left > 0; left = until - performance.now()) await sleep(Math.ceil(left));
}

function admin(served: Served, request: EmulatorRequest): EmulatorReply {
  const { definition } = served;
  const path = request.pathname.slice(ADMIN_PREFIX.length);
  if (path === "/health" && request.method === "GET")
    return { status: 200, body: { ok: true, name: definition.name } };
  if (path === "/requests" && request.method === "GET") {
    const byOperation = { ...served.requests };
    const total = Object.values(byOperation).reduce((a, b) => a + b, 0);
    return { status: 200, body: { total, byOperation, limits: served.limits } };
  }
  if (path === "/state" && request.method === "GET") return { status: 200, body: definition.state() };
  if (path === "/faults") {
    if (request.method === "GET") {
      return {
        status: 200,
        body: { config: definition.faults.current(), injected: { ...definition.faults.counts } },
      };
    }
    if (request.method === "PUT" || request.method === "DELETE") {
      const parsed = faultConfigSchema.safeParse(request.method === "DELETE" ? {} : request.body);
      if (!parsed.success)
        return { status: 400, body: { error: "invalid fault config", issues: parsed.error.issues } };
      definition.faults.set(parsed.data);
      definition.onFaults?.(parsed.data);
      return { status: 200, body: { config: parsed.data } };
    }
  }
  const extra = definition.admin?.(request, path);
  if (extra) return extra;
  return { status: 404, body: { error: `no admin route ${request.method} ${request.pathname}` } };
}

function send(res: ServerResponse, reply: EmulatorReply): void {
  const headers: Record<string, string> = { ...reply.headers };
  let payload = "";
  if (reply.text !== undefined) payload = reply.text;
  else if (reply.body !== undefined) {
    payload = JSON.stringify(reply.body);
    headers["content-type"] ??= "application/json; charset=utf-8";
  }
  headers["content-length"] = String(Buffer.byteLength(payload));
  res.writeHead(reply.status, headers);
  res.end(payload);
}

function parseJson(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
