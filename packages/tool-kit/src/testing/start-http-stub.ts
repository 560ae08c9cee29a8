import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

/** A request the stub server received. */
export interface StubRequest {
  method: string;
  /** Path with query string. */
  path: string;
  pathname: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body, raw text when not JSON, undefined when empty. */
  body: unknown;
  /** `:name` segments of the matched route (see {@link stubRoutes}). */
  params: Record<string, string>;
}

/** How the stub answers: a response, or `{ drop: true }` to close the connection after reading the request. */
export type StubReply =
  | { status?: number; headers?: Record<string, string>; body?: unknown; delayMs?: number }
  | { drop: true };

/** Computes the answer to one request. */
export type StubHandler = (request: StubRequest) => StubReply | Promise<StubReply>;

/** A running stub server. */
export interface HttpStub {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  readonly url: string;
  /** Every request received, in order. */
  readonly requests: StubRequest[];
  close(): Promise<void>;
}

/**
 * A real `node:http` server on 127.0.0.1 and a free port, for end-to-end tests of spawned
 * servers, which cannot share an in-process MockAgent: point the server's base URL at `url`.
 * A handler that throws answers 500 with the error message.
 */
export async function startHttpStub(handler: StubHandler): Promise<HttpStub> {
  const requests: StubRequest[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const request: StubRequest = {
      method: req.method ?? "GET",
      path: `${url.pathname}${url.search}`,
      pathname: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body: parseBody(Buffer.concat(chunks).toString("utf8")),
      params: {},
    };
    requests.push(request);
    let reply: StubReply;
    try {
      reply = await handler(request);
    } catch (error) {
      reply = { status: 500, body: { error: error instanceof Error ? error.message : String(error) } };
    }
    if ("drop" in reply) {
      req.socket.destroy();
      return;
    }
    if (reply.delayMs) await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
    if (res.destroyed) return;
    const isText = typeof reply.body === "string";
    const text = reply.body === undefined ? "" : isText ? (reply.body as string) : JSON.stringify(reply.body);
    const headers: Record<string, string> = { ...reply.headers };
    if (text !== "" && !Object.keys(headers).some((h) => h.toLowerCase() === "content-type")) {
      headers["content-type"] = isText ? "text/plain" : "application/json";
    }
    res.writeHead(reply.status ?? 200, headers);
    res.end(text);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/**
 * A tiny router for {@link startHttpStub}: keys are `"METHOD /path"` with `:name` segments
 * (`"GET /crm/v3/objects/companies/:id"`), values a reply or a handler. An unmatched request
 * gets 404 `{"error":"no stub route","method","path"}`.
 */
export function stubRoutes(routes: Record<string, StubReply | StubHandler>): StubHandler {
  const table = Object.entries(routes).map(([key, answer]) => {
    const [method = "", pattern = ""] = key.trim().split(/\s+/, 2);
    const names: string[] = [];
    const source = pattern
      .split("/")
      .map((segment) => {
        if (!segment.startsWith(":")) return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
        names.push(segment.slice(1));
        return "([^/]+)";
      })
      .join("/");
    return { method: method.toUpperCase(), regex: new RegExp(`^${source}$`), names, answer };
  });
  return (request) => {
    for (const route of table) {
      if (route.method !== request.method) continue;
      const m = route.regex.exec(request.pathname);
      if (!m) continue;
      route.names.forEach((name, i) => {
        request.params[name] = decodeURIComponent(m[i + 1] ?? "");
      });
      return typeof route.answer === "function" ? route.answer(request) : route.answer;
    }
    return { status: 404, body: { error: "no stub route", method: request.method, path: request.path } };
  };
}

function parseBody(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
