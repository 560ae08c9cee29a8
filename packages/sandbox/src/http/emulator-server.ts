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
 */
export async function serveEmulator(
  definition: EmulatorDefinition,
  options: { host?: string; port?: number },
): Promise<RunningEmulator> {
  const routes = compileRoutes(definition.routes);
  const server = createServer((req, res) => {
    handle(definition, routes, req, res).catch((error: unknown) => {
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

async function handle(
  definition: EmulatorDefinition,
  routes: ReturnType<typeof compileRoutes>,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
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
  if (url.pathname.startsWith(`${ADMIN_PREFIX}/`)) return send(res, admin(definition, request));

  const matched = matchRoute(routes, request.method, request.pathname);
  if (!("route" in matched)) return send(res, definition.unknownRoute(request, matched.methodMismatch));
  const { route } = matched;
  request.params = matched.params;

  const unauthenticated = definition.authenticate?.(request, route);
  if (unauthenticated) return send(res, unauthenticated);

  const fault = definition.faults.decide(route.operation, route.write === true);
  if (fault.delayMs > 0) await sleep(fault.delayMs);
  if (fault.fail) return send(res, definition.failure(fault.fail, route, fault.status));

  const admitted = definition.admit?.(request, route) ?? {};
  if (admitted.reject) return send(res, admitted.reject);

  const reply = await route.handler(request);
  if (fault.dropAfterCommit && reply.status < 300) {
    // The write is done; the client never learns it.
    res.destroy();
    return;
  }
  send(res, { ...reply, headers: { ...admitted.headers, ...reply.headers } });
}

function admin(definition: EmulatorDefinition, request: EmulatorRequest): EmulatorReply {
  const path = request.pathname.slice(ADMIN_PREFIX.length);
  if (path === "/health" && request.method === "GET")
    return { status: 200, body: { ok: true, name: definition.name } };
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
