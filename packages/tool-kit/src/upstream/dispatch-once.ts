import type { Dispatcher } from "undici";

/** An HTTP answer read whole: status, lower-case headers, raw body bytes. */
export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/**
 * An exchange that ended without a complete HTTP answer. `written` says whether undici had
 * started writing the request to a connected socket: before that point (connection refused,
 * DNS failure, connect timeout, TLS failure, an abort while queued) the vendor cannot have
 * seen it, so any request may be sent again; after it, the vendor may have acted.
 */
export class TransportFailure extends Error {
  override readonly name = "TransportFailure";
  constructor(
    override readonly cause: unknown,
    readonly written: boolean,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
  }
}

/**
 * Sends one request through `dispatcher` and reads the whole answer, rejecting with a
 * {@link TransportFailure} when no complete answer arrives.
 *
 * Why a raw `dispatch` handler and not `undici.request()`: only the handler hooks say whether
 * the request reached the wire. undici calls `onRequestStart` in `writeH1`/`writeH2`, after
 * the socket connected and just before it writes the request line (`onRequestSent` follows
 * once the body is flushed); connect errors (`ECONNREFUSED`, `ENOTFOUND`,
 * `UND_ERR_CONNECT_TIMEOUT`, TLS) reach `onResponseError` without it. A reset between the two
 * hooks may have delivered a complete request, so "written" is counted from `onRequestStart`
 * (the conservative side). `request()` also keeps an abort pending until a queued request
 * gets a socket; here an abort settles at once and the request is dropped when it starts.
 */
export function dispatchOnce(
  dispatcher: Dispatcher,
  options: Dispatcher.DispatchOptions,
  signal: AbortSignal,
): Promise<RawResponse> {
  return new Promise<RawResponse>((resolve, reject) => {
    let settled = false;
    let written = false;
    let controller: Dispatcher.DispatchController | undefined;
    let status = 0;
    let headers: Record<string, string> = {};
    const chunks: Buffer[] = [];

    const abortReason = (): Error =>
      signal.reason instanceof Error ? signal.reason : new Error("request aborted");

    const finish = (): void => {
      settled = true;
      signal.removeEventListener("abort", onAbort);
    };
    const fail = (error: unknown): void => {
      if (settled) return;
      finish();
      reject(new TransportFailure(error, written));
    };
    function onAbort(): void {
      const reason = abortReason();
      fail(reason);
      controller?.abort(reason);
    }

    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(c) {
        controller = c;
        // Settled already (aborted while queued): stop undici before it writes a byte.
        if (settled) {
          c.abort(abortReason());
          return;
        }
        written = true;
      },
      onResponseStart(_c, statusCode, responseHeaders) {
        // 1xx (100-continue, 103 early hints) precede the real answer.
        if (statusCode < 200) return;
        status = statusCode;
        headers = normalizeHeaders(responseHeaders);
      },
      onResponseData(_c, chunk) {
        chunks.push(chunk);
      },
      onResponseEnd() {
        if (settled) return;
        finish();
        resolve({ status, headers, body: Buffer.concat(chunks) });
      },
      onResponseError(_c, error) {
        fail(error);
      },
    };

    if (signal.aborted) {
      fail(abortReason());
      return;
    }
    signal.addEventListener("abort", onAbort, { once: true });
    try {
      dispatcher.dispatch(options, handler);
    } catch (error) {
      fail(error);
    }
  });
}

/** Lower-case header names; repeated headers joined as HTTP allows (`a, b`). */
function normalizeHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}
