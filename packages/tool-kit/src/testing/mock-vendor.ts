import { isDeepStrictEqual } from "node:util";
import { type Dispatcher, errors, MockAgent, type MockPool } from "undici";

/** One stubbed answer. An object body is sent as JSON; a string as it is. */
export interface MockReply {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** Answer this long after the request arrived (to test deadlines). */
  delayMs?: number;
}

/** Extra conditions a request must meet to match a route. */
export interface MockMatch {
  /** Query parameters the request must carry (others may be present). */
  query?: Record<string, string>;
  /** The JSON body, deep-equal, or a predicate over the parsed body. */
  body?: unknown;
}

/** A stubbed endpoint. Each call adds answers, used in order, each once unless `times`/`persist`. */
export interface MockRoute {
  reply(reply: MockReply, options?: { times?: number; persist?: boolean }): MockRoute;
  /** One answer per request, in order. */
  replySequence(replies: MockReply[]): MockRoute;
  /** The request arrives whole, then the connection drops before any answer (`UND_ERR_SOCKET`). */
  dropAfterRequest(): MockRoute;
  /** The connection is refused before anything is written (`ECONNREFUSED`). */
  refuseConnection(): MockRoute;
}

/** A request the stub received, path relative to the vendor's base URL. */
export interface RecordedCall {
  method: string;
  /** Path below the base URL, with its query string. */
  path: string;
  pathname: string;
  query: Record<string, string>;
  /** Lower-case names. */
  headers: Record<string, string>;
  /** The parsed JSON body, the raw text when not JSON, undefined when none. */
  body: unknown;
}

/** A stubbed vendor on one base URL. */
export interface MockVendor {
  /** Pass as `dispatcher` to `createUpstreamClient`. */
  readonly dispatcher: Dispatcher;
  /** The underlying MockAgent, for anything this layer does not cover. */
  readonly agent: MockAgent;
  /** Stubs `method` on a path below the base URL (a string matches the path exactly, a RegExp is tested against it). */
  on(method: string, path: string | RegExp, match?: MockMatch): MockRoute;
  /** Every request received so far, in order (dropped and refused ones included). */
  calls(): RecordedCall[];
  /** Throws, listing them, when a stubbed answer was never used. */
  assertAllUsed(): void;
  close(): Promise<void>;
}

const DROP_HEADER = "x-mock-vendor-drop";

/**
 * A typed layer over undici's `MockAgent` with the network disabled: any request that no
 * route matches fails (the client reports it as `INTERNAL`), so a test never reaches a real
 * vendor. Paths are relative to `baseUrl` (`mockVendor("https://x.test/v1").on("GET", "/a")`
 * stubs `/v1/a`).
 */
export function mockVendor(baseUrl: string): MockVendor {
  const base = new URL(baseUrl);
  const prefix = base.pathname.replace(/\/+$/, "");
  const agent = new MockAgent();
  agent.disableNetConnect();
  const pool = agent.get<MockPool>(base.origin);
  const recorded: RecordedCall[] = [];

  const dispatcher = agent.compose((dispatch) => (opts, handler) => {
    recorded.push(recordCall(opts, prefix));
    return dispatch(opts, dropping(handler));
  });

  return {
    dispatcher,
    agent,
    on(method, path, match = {}) {
      const intercept = () =>
        pool.intercept({
          method: method.toUpperCase(),
          path: (full: string) => pathMatches(full, prefix, path, match.query),
          ...(match.body === undefined ? {} : { body: (text: string) => bodyMatches(text, match.body) }),
        });
      const route: MockRoute = {
        reply(reply, options = {}) {
          const { data, headers } = encode(reply);
          const scope = intercept().reply(reply.status, data, { headers });
          if (reply.delayMs) scope.delay(reply.delayMs);
          if (options.persist) scope.persist();
          else if (options.times) scope.times(options.times);
          return route;
        },
        replySequence(replies) {
          for (const reply of replies) route.reply(reply);
          return route;
        },
        dropAfterRequest() {
          intercept().reply(599, "", { headers: { [DROP_HEADER]: "1" } });
          return route;
        },
        refuseConnection() {
          const error = Object.assign(new Error(`connect ECONNREFUSED ${base.host}`), {
            code: "ECONNREFUSED",
            syscall: "connect",
          });
          intercept().replyWithError(error);
          return route;
        },
      };
      return route;
    },
    calls: () => recorded.map((call) => ({ ...call })),
    assertAllUsed: () => agent.assertNoPendingInterceptors(),
    close: () => agent.close(),
  };
}

/**
 * MockAgent answers or errors before the request is "sent"; a real dropped connection fails
 * after it. The drop route answers with a marker header, turned here into the socket error
 * undici raises when the server closes the connection after reading the request.
 */
function dropping(handler: Dispatcher.DispatchHandler): Dispatcher.DispatchHandler {
  let dropped = false;
  return {
    onRequestStart: (c, context) => handler.onRequestStart?.(c, context),
    onRequestUpgrade: (c, status, headers, socket) => handler.onRequestUpgrade?.(c, status, headers, socket),
    onResponseStarted: () => handler.onResponseStarted?.(),
    onBodySent: (chunk) => handler.onBodySent?.(chunk),
    onRequestSent: () => handler.onRequestSent?.(),
    onResponseStart(c, status, headers, message) {
      if (headers[DROP_HEADER] !== undefined) {
        dropped = true;
        handler.onResponseError?.(c, new errors.SocketError("other side closed"));
        return;
      }
      handler.onResponseStart?.(c, status, headers, message);
    },
    onResponseData: (c, chunk) => {
      if (!dropped) handler.onResponseData?.(c, chunk);
    },
    onResponseEnd: (c, trailers) => {
      if (!dropped) handler.onResponseEnd?.(c, trailers);
    },
    onResponseError: (c, error) => {
      if (!dropped) handler.onResponseError?.(c, error);
    },
  };
}

function encode(reply: MockReply): { data: string; headers: Record<string, string> } {
  const headers = { ...reply.headers };
  const hasType = Object.keys(headers).some((h) => h.toLowerCase() === "content-type");
  if (reply.body === undefined) return { data: "", headers };
  if (typeof reply.body === "string") {
    return { data: reply.body, headers: hasType ? headers : { ...headers, "content-type": "text/plain" } };
  }
  return {
    data: JSON.stringify(reply.body),
    headers: hasType ? headers : { ...headers, "content-type": "application/json" },
  };
}

function relative(fullPath: string, prefix: string): string {
  return prefix !== "" && fullPath.startsWith(prefix) ? fullPath.slice(prefix.length) || "/" : fullPath;
}

function pathMatches(
  full: string,
  prefix: string,
  path: string | RegExp,
  query?: Record<string, string>,
): boolean {
  const url = new URL(relative(full, prefix), "http://stub.invalid");
  const pathOk = typeof path === "string" ? url.pathname === path : path.test(url.pathname);
  if (!pathOk) return false;
  return Object.entries(query ?? {}).every(([key, value]) => url.searchParams.get(key) === value);
}

function bodyMatches(text: string, expected: unknown): boolean {
  const body = parseBody(text);
  return typeof expected === "function" ? expected(body) === true : isDeepStrictEqual(body, expected);
}

function parseBody(text: string | undefined): unknown {
  if (text === undefined || text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function recordCall(opts: Dispatcher.DispatchOptions, prefix: string): RecordedCall {
  const path = relative(opts.path, prefix);
  const url = new URL(path, "http://stub.invalid");
  const headers: Record<string, string> = {};
  const raw = opts.headers;
  if (Array.isArray(raw)) {
    for (let i = 0; i + 1 < raw.length; i += 2) headers[String(raw[i]).toLowerCase()] = String(raw[i + 1]);
  } else if (raw && typeof raw === "object") {
    for (const [name, value] of Object.entries(raw as Record<string, unknown>)) {
      if (value !== undefined)
        headers[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : String(value);
    }
  }
  const body =
    typeof opts.body === "string"
      ? opts.body
      : Buffer.isBuffer(opts.body)
        ? opts.body.toString("utf8")
        : undefined;
  return {
    method: opts.method,
    path,
    pathname: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers,
    body: parseBody(body),
  };
}
