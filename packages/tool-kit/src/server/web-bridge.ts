import type { IncomingMessage, ServerResponse } from "node:http";

/** A request body, or word that it was over the limit. */
export type ReadBody = { tooLarge: false; body: Buffer } | { tooLarge: true };

/**
 * Reads a request body of at most `maxBytes`. A declared `Content-Length` over the limit is
 * refused before anything is read; a body that grows past it stops being read there, so an
 * oversized upload never sits in memory whole.
 */
export async function readBody(req: IncomingMessage, maxBytes: number): Promise<ReadBody> {
  if (Number(req.headers["content-length"] ?? 0) > maxBytes) return { tooLarge: true };
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) return { tooLarge: true };
    chunks.push(chunk as Buffer);
  }
  return { tooLarge: false, body: Buffer.concat(chunks) };
}

/**
 * The web-standard `Request` the SDK's handler takes, from a Node request whose body was
 * already read. `signal` should abort when the client goes away, so the SDK can cancel the
 * exchange.
 */
export function toWebRequest(
  req: IncomingMessage,
  body: Buffer | undefined,
  base: string,
  signal: AbortSignal,
): Request {
  const headers = new Headers();
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i] as string;
    // HTTP/2 pseudo-headers are not headers to a `Request`.
    if (!name.startsWith(":")) headers.append(name, req.rawHeaders[i + 1] as string);
  }
  const method = req.method ?? "GET";
  const hasBody = body !== undefined && body.length > 0 && method !== "GET" && method !== "HEAD";
  return new Request(new URL(req.url ?? "/", base), {
    method,
    headers,
    signal,
    ...(hasBody ? { body: new Uint8Array(body) } : {}),
  });
}

/**
 * Writes a web-standard `Response` to a Node response, streaming its body (SSE included) with
 * back-pressure. When the client goes away first the body is cancelled, which tells the SDK
 * to tear the exchange down. Resolves once the response has ended or the client is gone.
 */
export async function sendWebResponse(res: ServerResponse, response: Response): Promise<void> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  res.writeHead(response.status, headers);
  if (response.body === null) {
    res.end();
    return;
  }
  const reader = response.body.getReader();
  const gone = new Promise<undefined>((resolve) => res.once("close", () => resolve(undefined)));
  try {
    for (;;) {
      const next = await Promise.race([reader.read(), gone]);
      if (next === undefined) {
        await reader.cancel().catch(() => undefined);
        return;
      }
      if (next.done) break;
      if (!res.write(next.value)) {
        await Promise.race([new Promise((resolve) => res.once("drain", resolve)), gone]);
      }
    }
    res.end();
  } catch {
    // The SDK failed mid-stream: nothing more can be said on this response.
    res.destroy();
  }
}
