import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createMcpHandler, type Server } from "@modelcontextprotocol/server";
import type { Logger } from "../logging/index.js";
import { CallTracker } from "../tools/runtime.js";
import { bearerChallenge, createBearerVerifier } from "./bearer-auth.js";
import { createClientLimiter, DEFAULT_MAX_CONCURRENT_PER_CLIENT } from "./client-limiter.js";
import { createAccessCheck, loopbackHosts } from "./http-access.js";
import { jsonRpcError, pathOf, pingWithin, reply } from "./http-replies.js";
import { opensSubscription, readMcpBody } from "./mcp-body.js";
import type { ServerMetrics } from "./metrics.js";
import { sendWebResponse, toWebRequest } from "./web-bridge.js";

// Not `import { createServer } from "node:http"`: an ES import of node:http builds its ES
// module facade, which reads every export, lazy ones included, and so loads Node's bundled
// fetch implementation (~25 ms of every server's start, stdio ones too, which never serve
// HTTP). The CommonJS module object has the same function without that.
const { createServer: createNodeServer } = process.getBuiltinModule("node:http");

/** Largest request body accepted (the SDK's own default): larger ones are answered 413. */
export const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;

/** How long `/healthz` waits for the store's answer before calling it unreachable. */
const STORE_PING_TIMEOUT_MS = 2_000;

/**
 * Socket timeouts (design.md §7): a client must send its headers within `headersMs` and its
 * whole request (headers and body) within `requestMs`, or the connection is closed; a kept-alive
 * connection with no request in progress is closed after `idleMs`. Answers are not timed here:
 * a tool call is bounded by its own deadline.
 */
export const DEFAULT_HTTP_TIMEOUTS: HttpTimeouts = { headersMs: 20_000, requestMs: 30_000, idleMs: 30_000 };

/** See {@link DEFAULT_HTTP_TIMEOUTS}. */
export interface HttpTimeouts {
  headersMs: number;
  requestMs: number;
  idleMs: number;
}

/** What `/healthz` asks of the store. */
export interface HealthStore {
  /** `redis` or `sqlite`. */
  readonly kind?: string;
  ping(): Promise<boolean>;
  /** Which store this is (shown with its kind); see `IdempotencyStore.identity`. */
  identity?(): Promise<{ id: string; createdAt: number }>;
}

/** Options of {@link serveHttp}. */
export interface HttpServeOptions {
  host: string;
  /** 0 for a free port. */
  port: number;
  /** The accepted bearer tokens, read on every request (they rotate on SIGHUP). */
  tokens: () => readonly string[];
  /** `Host` values accepted; undefined: the loopback names at the bound port. */
  allowedHosts?: readonly string[] | undefined;
  /** Origins accepted; a request carrying any other `Origin` is refused. */
  allowedOrigins?: readonly string[];
  /** A fresh MCP server for one request: the factory the stdio transport uses too. */
  createServer: () => Server;
  logger: Logger;
  metrics: ServerMetrics;
  /** The idempotency store, when the server has one: `/healthz` pings it and shows its identity. */
  store?: HealthStore | undefined;
  maxBodyBytes?: number;
  /** Socket timeouts; defaults {@link DEFAULT_HTTP_TIMEOUTS}. */
  timeouts?: Partial<HttpTimeouts>;
  /** Most requests one client (address + credential) may have in progress; default 32. */
  maxConcurrentPerClient?: number;
}

/** A listening Streamable HTTP server. */
export interface HttpServing {
  /** The MCP endpoint: `http://<host>:<port>/mcp`. */
  readonly url: string;
  /** The bound port (the chosen one when 0 was asked for). */
  readonly port: number;
  /**
   * Takes no new work: from now on `/healthz` answers `503 {"status":"stopping"}` and every
   * other request 503, on new connections too (the listener stays open until `close`, so a
   * probe or client sees "stopping", not a refused connection). Answers already being worked
   * on go on.
   */
  stopAccepting(): void;
  /**
   * Waits up to `timeoutMs` for the answers in progress to be sent (subscription streams,
   * which never end on their own, are not waited for), then closes the listener and every
   * connection.
   */
  close(timeoutMs?: number): Promise<void>;
}

/**
 * Serves MCP over Streamable HTTP on `node:http` (design.md §7), through the SDK's
 * `createMcpHandler`: each request gets a fresh server from `createServer`, 2026-era
 * clients on the per-request protocol and 2025-era ones through the SDK's stateless
 * fallback. Routes: `/mcp` (bearer auth), `/metrics` (bearer auth, Prometheus text),
 * `/healthz` (no auth, `{"status":"ok"}` and the store's identity, or 503), anything else
 * 404. `/mcp` and `/metrics` check `Host` and `Origin` first (403), then the token (401), then
 * the client's concurrency bound (429), then the body: size (413) and nesting depth (400).
 *
 * Rejects when the address cannot be bound (`EADDRINUSE`, `EACCES`).
 */
export async function serveHttp(options: HttpServeOptions): Promise<HttpServing> {
  const { logger, metrics } = options;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const maxPerClient = options.maxConcurrentPerClient ?? DEFAULT_MAX_CONCURRENT_PER_CLIENT;
  const limiter = createClientLimiter(maxPerClient);
  const verifier = createBearerVerifier(options.tokens);
  const handler = createMcpHandler(() => options.createServer(), {
    maxRequestBodySize: maxBodyBytes,
    onerror: (error) => logger.warn({ err: error }, "MCP request failed or was refused by the SDK"),
  });
  // Exchanges whose answer shutdown waits for.
  const answering = new CallTracker();
  let stopping = false;
  let access: ReturnType<typeof createAccessCheck> | undefined;

  const serveMcp = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const release = limiter.acquire(req);
    if (release === undefined) {
      // Not read: answered at once and the connection closed, so the body never occupies us.
      req.resume();
      return reply(
        res,
        429,
        jsonRpcError(
          `Too many concurrent requests from this client (at most ${maxPerClient}); retry shortly`,
        ),
        { "retry-after": "1", connection: "close" },
      );
    }
    // Freed once the answer is written ("finish"), before the client can read it and ask again.
    res.once("finish", release);
    res.once("close", release);
    const done = answering.begin();
    res.once("close", done);
    let body: Buffer | undefined;
    let parsedBody: unknown;
    if (req.method === "POST") {
      const read = await readMcpBody(req, maxBodyBytes);
      if (read.kind === "refused") {
        // Discard the rest rather than leave it unread: closing on unread data resets the
        // connection, and the client would lose the answer with it.
        if (read.unread) req.resume();
        return reply(res, read.status, jsonRpcError(read.message, read.code), { connection: "close" });
      }
      body = read.body;
      parsedBody = read.parsed;
      // A subscription stream stays open until the client leaves: shutdown must not wait for it.
      if (opensSubscription(parsedBody)) done();
    }
    const controller = new AbortController();
    res.once("close", () => {
      if (!res.writableFinished) controller.abort();
    });
    const request = toWebRequest(req, body, `http://${req.headers.host}`, controller.signal);
    const response = await handler.fetch(request, parsedBody === undefined ? undefined : { parsedBody });
    await sendWebResponse(res, response);
  };

  const serveHealth = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== "GET" && req.method !== "HEAD")
      return reply(res, 405, { error: "method_not_allowed" });
    if (stopping) return reply(res, 503, { status: "stopping" }, { connection: "close" });
    const { store } = options;
    if (store && !(await pingWithin(store, STORE_PING_TIMEOUT_MS))) {
      return reply(res, 503, { status: "degraded", store: "unreachable" });
    }
    // Which store answers: a changed id between runs means earlier writes are unknown to it.
    const identity = await store?.identity?.().catch(() => undefined);
    if (!identity) return reply(res, 200, { status: "ok" });
    const shown = {
      kind: store?.kind,
      id: identity.id,
      createdAt: new Date(identity.createdAt).toISOString(),
    };
    return reply(res, 200, { status: "ok", store: shown });
  };

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = pathOf(req.url);
    const name = path === "/mcp" || path === "/metrics" || path === "/healthz" ? path : "other";
    // 499: the client left before the answer was complete.
    res.once("close", () => metrics.observeHttp(name, res.writableFinished ? res.statusCode : 499));
    // Exempt from the Host check: load balancers and probes address it by IP; it tells nothing.
    if (path === "/healthz") return serveHealth(req, res);
    if (stopping) {
      req.resume();
      return reply(res, 503, jsonRpcError("The server is shutting down; retry shortly"), {
        connection: "close",
        "retry-after": "1",
      });
    }
    // Fails closed: before the bound port (hence the default Host list) is known, nothing passes.
    const refused = access ? access({ host: req.headers.host, origin: req.headers.origin }) : "host";
    if (refused !== undefined) {
      logger.warn(
        { path, refused, host: req.headers.host, origin: req.headers.origin },
        "HTTP request refused",
      );
      return reply(res, 403, {
        error: "forbidden",
        error_description: `${refused === "host" ? "Host" : "Origin"} not allowed`,
      });
    }
    if (name === "other") return reply(res, 404, { error: "not_found" });
    const auth = verifier.check(req.headers.authorization);
    if (auth !== "ok") {
      // The key is not `auth`: the scrubber redacts values under secret-sounding keys.
      logger.warn({ path, problem: auth }, "HTTP request without a valid bearer token");
      return reply(
        res,
        401,
        { error: auth === "invalid" ? "invalid_token" : "unauthorized" },
        {
          "www-authenticate": bearerChallenge(auth),
        },
      );
    }
    if (path === "/metrics") {
      if (req.method !== "GET") return reply(res, 405, { error: "method_not_allowed" });
      res.writeHead(200, { "content-type": metrics.contentType });
      res.end(await metrics.render());
      return;
    }
    return serveMcp(req, res);
  };

  const timeouts = { ...DEFAULT_HTTP_TIMEOUTS, ...options.timeouts };
  const server = createNodeServer(
    {
      headersTimeout: timeouts.headersMs,
      requestTimeout: timeouts.requestMs,
      keepAliveTimeout: timeouts.idleMs,
      // How often the request and headers timeouts are checked (Node's default is 30 s).
      connectionsCheckingInterval: Math.min(1_000, timeouts.headersMs, timeouts.requestMs),
    },
    (req, res) => {
      route(req, res).catch((error: unknown) => {
        logger.error({ err: error }, "HTTP request failed");
        if (!res.headersSent) reply(res, 500, { error: "internal" });
        else res.destroy();
      });
    },
  );
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  server.on("error", (error) => logger.error({ err: error }, "HTTP server error"));
  const { port } = server.address() as AddressInfo;
  access = createAccessCheck({
    allowedHosts: options.allowedHosts ?? loopbackHosts(port),
    allowedOrigins: options.allowedOrigins ?? [],
  });
  const hostInUrl = options.host.includes(":") ? `[${options.host}]` : options.host;

  const stopAccepting = () => {
    stopping = true;
  };
  return {
    url: `http://${hostInUrl}:${port}/mcp`,
    port,
    stopAccepting,
    async close(timeoutMs = 10_000) {
      stopAccepting();
      await answering.drain(timeoutMs);
      server.close();
      await handler.close();
      server.closeAllConnections();
    },
  };
}
