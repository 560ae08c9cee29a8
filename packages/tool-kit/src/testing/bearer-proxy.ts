import { createServer, type IncomingHttpHeaders, request } from "node:http";
import type { AddressInfo } from "node:net";

/** A local reverse proxy that adds a bearer token; see {@link startBearerProxy}. */
export interface BearerProxy {
  /** `http://127.0.0.1:<port>`: where clients go. */
  readonly origin: string;
  readonly port: number;
  /**
   * The `Host` values clients send to the proxy, for the server's `GTM_HTTP_ALLOWED_HOSTS`:
   * behind the proxy the server's public address is the proxy's, as behind any reverse proxy
   * that keeps the `Host` header.
   */
  readonly allowedHosts: string[];
  /** Sets where requests go: the server's origin (`http://127.0.0.1:<port>`). */
  target(origin: string): void;
  close(): Promise<void>;
}

/**
 * Starts a reverse proxy on 127.0.0.1 that forwards every request to the target unchanged
 * (method, path, body, and the `Host` and `Origin` headers, so Host/Origin checks see what the
 * client sent) and adds `Authorization: Bearer <token>` when the request has none. For tools
 * that take only a URL (the MCP conformance suite) against a server that requires a token.
 * Requests before `target` is set are answered 502.
 */
export async function startBearerProxy(options: { token: string }): Promise<BearerProxy> {
  let target: URL | undefined;
  const server = createServer((req, res) => {
    if (target === undefined) {
      res.writeHead(502).end();
      return;
    }
    const headers = withoutHopByHop(req.headers);
    headers.authorization ??= `Bearer ${options.token}`;
    const upstream = request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers, agent: false },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, withoutHopByHop(answer.headers));
        answer.pipe(res);
      },
    );
    upstream.on("error", () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    // The client left before the answer was complete: stop the exchange upstream too.
    res.on("close", () => {
      if (!res.writableFinished) upstream.destroy();
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    allowedHosts: [`127.0.0.1:${port}`, `localhost:${port}`],
    target(origin) {
      target = new URL(origin);
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** Headers that describe one connection (RFC 9110 §7.6.1), not the message: never forwarded. */
const HOP_BY_HOP = [
  "connection",
  "keep-alive",
  "proxy-connection",
  "transfer-encoding",
  "te",
  "trailer",
  "upgrade",
];

function withoutHopByHop(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const out = { ...headers };
  for (const name of HOP_BY_HOP) delete out[name];
  return out;
}
