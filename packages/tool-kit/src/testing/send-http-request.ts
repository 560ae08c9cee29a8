import { type IncomingHttpHeaders, request } from "node:http";

/** What {@link sendHttpRequest} sends. */
export interface HttpRequestOptions {
  method?: string;
  /** Sent as they are: `host` replaces the one derived from the URL (fetch cannot do that). */
  headers?: Record<string, string>;
  /** A string or bytes; an object is sent as JSON with `content-type: application/json`. */
  body?: unknown;
  /**
   * Sends the body in chunks of this size without a `Content-Length` (chunked encoding),
   * as a client streaming an upload would.
   */
  chunkSize?: number;
}

/** The answer to {@link sendHttpRequest}. */
export interface HttpAnswer {
  status: number;
  /** Lower-case names. */
  headers: IncomingHttpHeaders;
  text: string;
  /** `text` parsed as JSON (throws when it is not). */
  json(): unknown;
}

/**
 * One HTTP/1.1 request over `node:http`, for tests of an HTTP server: unlike `fetch` it may
 * send any `Host` header, and it reads the answer even when the server answers before the
 * whole body was sent (a 413), ignoring the write error that can follow.
 */
export function sendHttpRequest(url: string, options: HttpRequestOptions = {}): Promise<HttpAnswer> {
  const headers: Record<string, string> = { ...options.headers };
  let payload: Buffer | undefined;
  if (options.body !== undefined) {
    const isBytes = typeof options.body === "string" || options.body instanceof Uint8Array;
    payload = Buffer.from(isBytes ? (options.body as string | Uint8Array) : JSON.stringify(options.body));
    if (!isBytes && !Object.keys(headers).some((h) => h.toLowerCase() === "content-type")) {
      headers["content-type"] = "application/json";
    }
  }
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = request(url, { method: options.method ?? "GET", headers, agent: false }, (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("error", reject);
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) });
      });
    });
    req.on("error", (error) => {
      if (!answered) reject(error);
    });
    if (payload === undefined) return void req.end();
    if (options.chunkSize === undefined) return void req.end(payload);
    for (let at = 0; at < payload.length; at += options.chunkSize) {
      req.write(payload.subarray(at, at + options.chunkSize));
    }
    req.end();
  });
}
