import { createServer, request as httpRequest, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import type { Exchange } from "./openapi-contract.js";

/** A proxy in front of an emulator that keeps every exchange it passes on. */
export interface RecordingProxy {
  /** `http://127.0.0.1:<port>`: give it to the server as its vendor base URL. */
  url: string;
  /** Every exchange so far, in order; a dropped connection has no `status`. */
  exchanges: Exchange[];
  close(): Promise<void>;
}

/**
 * Starts a recording proxy to `target` on a free loopback port. Bodies are recorded parsed
 * (JSON) and passed on byte for byte; a connection the target drops unanswered is dropped
 * towards the client too, and recorded without an answer.
 */
export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const exchanges: Exchange[] = [];
  const upstream = new URL(target);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const raw = Buffer.concat(chunks);
      const url = new URL(req.url ?? "/", "http://proxy.invalid");
      const exchange: Exchange = {
        method: req.method ?? "GET",
        path: url.pathname,
        query: queryOf(url.searchParams),
        headers: flat(req.headers),
        ...(raw.length > 0 ? { requestBody: parse(raw) } : {}),
      };
      exchanges.push(exchange);
      const forward = httpRequest(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: upstream.host },
        },
        (answer) => {
          const body: Buffer[] = [];
          answer.on("data", (chunk: Buffer) => body.push(chunk));
          answer.on("end", () => {
            const text = Buffer.concat(body);
            exchange.status = answer.statusCode ?? 0;
            const type = answer.headers["content-type"];
            if (type) exchange.responseContentType = type;
            if (text.length > 0 && /json/.test(type ?? "")) exchange.responseBody = parse(text);
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            res.end(text);
          });
          answer.on("error", () => res.destroy());
        },
      );
      forward.on("error", () => res.destroy());
      forward.end(raw);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    exchanges,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function queryOf(params: URLSearchParams): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, value] of params) out[name] = [...(out[name] ?? []), value];
  return out;
}

function flat(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}

function parse(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString("utf8")) as unknown;
  } catch {
    return undefined;
  }
}
