// A leaf module: the hook through which a tracer sees each tool call from its start (to read
// the caller's trace context and run the call inside its span, so the upstream requests the
// call makes nest under it) to its call-log line. The pipeline knows only this interface; the
// OpenTelemetry implementation is loaded lazily by the server start-up when tracing is on.

/** What a tracer records of a finished call: the fields of its call-log line it may show. */
export interface TracedCallLine {
  tool: string;
  kind: "read" | "write";
  /** `ok`, `input_required`, `cancelled`, or the error code. */
  outcome: string;
  retryable: boolean;
  replayed: boolean;
  attempts: number;
  retried: boolean;
  /** The write's idempotency key: a tracer records a hash of it, never the key. */
  idempotencyKey?: string;
  keySource?: string;
  /** A read over a paid upstream: whether the cache served it (`hit`, `miss`, `mixed`). */
  cache?: string;
}

/** One tool call as the tracer follows it. */
export interface TracedCall {
  /** Runs the call inside the call's trace context; the span ends when `fn` settles. */
  run<T>(fn: () => Promise<T>): Promise<T>;
}

/** Follows tool calls (`ToolRuntime.tracer`); absent when tracing is off. */
export interface CallTracer {
  /**
   * Starts following a call of `tool`. `meta` is the request's `params._meta`: a W3C
   * `traceparent` (and `tracestate`) there is the call's parent; a malformed one is ignored.
   */
  startCall(tool: string, meta: unknown): TracedCall;
  /** Records the finished call's line on the call running in this async context (the call log does). */
  recordCall(line: TracedCallLine): void;
}
