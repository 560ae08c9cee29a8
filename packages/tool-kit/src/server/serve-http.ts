import { createServer as createNodeServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createMcpHandler, type Server } from "@modelcontextprotocol/server";
import type { Logger } from "../logging/index.js";
import { CallTracker } from "../tools/runtime.js";
import { bearerChallenge, createBearerVerifier } from "./bearer-auth.js";
import { createAccessCheck, loopbackHosts } from "./http-access.js";
import type { ServerMetrics } from "./metrics.js";
import { readBody, sendWebResponse, toWebRequest } from "./web-bridge.js";

/** Largest request body accepted (the SDK's own default): larger ones are answered 413. */
export const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;

/** How long `/healthz` waits for the store's answer before calling it unreachable. */
const STORE_PING_TIMEOUT_MS = 2_000;

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
  /** The idempotency store, when the server has one: `/healthz` pings it. */
  store?: { ping(): Promise<boolean> } | undefined;
  maxBodyBytes?: number;
}

/** A listening Streamable HTTP server. */
export interface HttpServing {
  /** The MCP endpoint: `http://<host>:<port>/mcp`. */
  readonly url: string;
  /** The bound port (the chosen one when 0 was asked for). */
  readonly port: number;
  /**
   * Stops accepting connections and closes idle ones; a request arriving on a connection
   * still open is answered 503. Answers already being worked on go on.
   */
  stopAccepting(): void;
  /**
   * Waits up to `timeoutMs` for the answers in progress to be sent (subscription streams,
   * which never end on their own, are not waited for), then closes every connection.
   */
  close(timeoutMs?: number): Promise<void>;
}

/**
 * Serves MCP over Streamable HTTP on `node:http` (design.md §7), through the SDK's
 * `createMcpHandler`: each request gets a fresh server from `createServer`, 2026-era
 * clients on the per-request protocol and 2025-era ones through the SDK's stateless
 * fallback. Routes: `/mcp` (bearer auth), `/metrics` (bearer auth, Prometheus text),
 * `/healthz` (no auth, `{"status":"ok"}` or 503), anything else 404. `/mcp` and `/metrics`
 * check `Host` and `Origin` first (403), then the token (401), then the body size (413).
 *
 * Rejects when the address cannot be bound (`EADDRINUSE`, `EACCES`).
 */
export async function serveHttp(options: HttpServeOptions): Promise<HttpServing> {
  const { logger, metrics } = options;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
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
    const done = answering.begin();
    res.once("close", done);
    let body: Buffer | undefined;
    let parsedBody: unknown;
    if (req.method === "POST") {
      const read = await readBody(req, maxBodyBytes);
      if (read.tooLarge) {
        // Discard the rest rather than leave it unread: closing on unread data resets the
        // connection, and the client would lose the 413 with it.
        req.resume();
        return reply(res, 413, jsonRpcError(`Request body larger than ${maxBodyBytes} bytes`), {
          connection: "close",
        });
      }
      body = read.body;
      parsedBody = parseJson(body);
      // A subscription stream stays open until the client leaves: shutdown must not wait for it.
      if (isListen(parsedBody)) done();
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
    if (stopping) return reply(res, 503, { status: "stopping" });
    if (options.store && !(await pingWithin(options.store, STORE_PING_TIMEOUT_MS))) {
      return reply(res, 503, { status: "degraded", store: "unreachable" });
    }
    return reply(res, 200, { status: "ok" });
  };

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = pathOf(req.url);
    const name = path === "/mcp" || path === "/metrics" || path === "/healthz" ? path : "other";
    // 499: the client left before the answer was complete.
    res.once("close", () => metrics.observeHttp(name, res.writableFinished ? res.statusCode : 499));
    // Exempt from the Host check: load balancers and probes address it by IP; it tells nothing.
    if (path === "/healthz") return serveHealth(req, res);
    if (stopping) return reply(res, 503, { error: "shutting_down" }, { connection: "close" });
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

  const server = createNodeServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      logger.error({ err: error }, "HTTP request failed");
      if (!res.headersSent) reply(res, 500, { error: "internal" });
      else res.destroy();
    });
  });
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
    if (stopping) return;
    stopping = true;
    server.close();
    server.closeIdleConnections();
  };
  return {
    url: `http://${hostInUrl}:${port}/mcp`,
    port,
    stopAccepting,
    async close(timeoutMs = 10_000) {
      stopAccepting();
      await answering.drain(timeoutMs);
      await handler.close();
      server.closeAllConnections();
    },
  };
}

/** Ends a response with a JSON body. */
function reply(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

function jsonRpcError(message: string): unknown {
  return { jsonrpc: "2.0", error: { code: -32000, message }, id: null };
}

function pathOf(url: string | undefined): string {
  const path = (url ?? "/").split("?", 1)[0] ?? "/";
  return path.length > 1 ? path.replace(/\/+$/, "") : path;
}

function parseJson(body: Buffer): unknown {
  try {
    return body.length === 0 ? undefined : JSON.parse(body.toString("utf8"));
  } catch {
    // Left to the SDK, which answers a parse error in its own words.
    return undefined;
  }
}

function isListen(message: unknown): boolean {
  if (Array.isArray(message)) return message.some(isListen);
  return (
    message !== null &&
    typeof message === "object" &&
    (message as { method?: unknown }).method === "subscriptions/listen"
  );
}

async function pingWithin(store: { ping(): Promise<boolean> }, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([store.ping().catch(() => false), late]);
  } finally {
    clearTimeout(timer);
  }
}
