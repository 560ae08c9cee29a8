import { AsyncLocalStorage } from "node:async_hooks";
import { createHash } from "node:crypto";
import {
  type Attributes,
  type Context,
  defaultTextMapGetter,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from "@opentelemetry/api";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import type { CallTracer, TracedCall, TracedCallLine } from "../../core/call-tracer.js";
import type { TraceScope } from "./trace-scope.js";
import { subscribeUpstreamSpans } from "./upstream-spans.js";

/** Outcomes that are not failures of the call: a question to a person, a client's cancel. */
const NOT_FAILED = new Set(["ok", "input_required", "cancelled"]);

const propagator = new W3CTraceContextPropagator();

/** The tracer of tool calls, and the upstream spans under them; `close` stops listening. */
export interface OtelCallTracer extends CallTracer {
  close(): void;
}

/**
 * A {@link CallTracer} over an OpenTelemetry tracer: one SERVER span per tool call
 * (`tools/call <tool>`), parented on the request's `_meta.traceparent` when it holds a valid
 * one, run in an AsyncLocalStorage scope of its own so the upstream requests the call makes
 * (see `upstream-spans.ts`) become its children. The span carries what the call log says of
 * the call, minus everything that could hold data: no argument, no message, and the write's
 * idempotency key only as a hash.
 */
export function createOtelCallTracer(
  tracer: Tracer,
  labels: { server: string; env: string },
): OtelCallTracer {
  const scopes = new AsyncLocalStorage<TraceScope>();
  const unsubscribe = subscribeUpstreamSpans(tracer, scopes);
  return {
    startCall(tool, meta): TracedCall {
      const parent = parentContext(meta);
      const call = tracer.startSpan(
        `tools/call ${tool}`,
        {
          kind: SpanKind.SERVER,
          attributes: {
            "mcp.method.name": "tools/call",
            "gtm.tool": tool,
            "gtm.server": labels.server,
            "gtm.env": labels.env,
          },
        },
        parent,
      );
      const scope: TraceScope = { context: trace.setSpan(parent, call), call, state: { recorded: false } };
      return {
        async run(fn) {
          let result: unknown;
          try {
            result = await scopes.run(scope, fn);
            return result as Awaited<ReturnType<typeof fn>>;
          } finally {
            // Answered without its line (the shutdown answered a call that would not end).
            if (!scope.state.recorded) recordAnswer(call, result);
            call.end();
          }
        },
      };
    },
    recordCall(line) {
      const scope = scopes.getStore();
      if (scope === undefined || scope.state.recorded) return;
      scope.state.recorded = true;
      scope.call.setAttributes(lineAttributes(line));
      if (!NOT_FAILED.has(line.outcome)) {
        scope.call.setAttribute("error.type", line.outcome);
        scope.call.setStatus({ code: SpanStatusCode.ERROR, message: line.outcome });
      }
    },
    close: unsubscribe,
  };
}

/** The call's parent: the caller's trace context from `_meta`, or none (a new trace). */
export function parentContext(meta: unknown): Context {
  if (meta === null || typeof meta !== "object") return ROOT_CONTEXT;
  const { traceparent, tracestate } = meta as { traceparent?: unknown; tracestate?: unknown };
  if (typeof traceparent !== "string") return ROOT_CONTEXT;
  const carrier: Record<string, string> = { traceparent };
  if (typeof tracestate === "string") carrier.tracestate = tracestate;
  // The propagator validates the header (version, ids not all zero, flags) and leaves the
  // context as it was when it is malformed: the call then starts a trace of its own.
  try {
    return propagator.extract(ROOT_CONTEXT, carrier, defaultTextMapGetter);
  } catch {
    return ROOT_CONTEXT;
  }
}

/** The span attributes of a finished call (never its arguments or the key itself). */
function lineAttributes(line: TracedCallLine): Attributes {
  return {
    "gtm.tool.kind": line.kind,
    "gtm.outcome": line.outcome,
    "gtm.retryable": line.retryable,
    "gtm.replayed": line.replayed,
    "gtm.attempts": line.attempts,
    "gtm.retried": line.retried,
    ...(line.cache === undefined ? {} : { "gtm.cache": line.cache }),
    ...(line.idempotencyKey === undefined
      ? {}
      : { "gtm.idempotency_key_hash": keyHash(line.idempotencyKey), "gtm.key_source": line.keySource ?? "" }),
  };
}

/**
 * The first 16 hex digits of the key's SHA-256: enough to match the spans of one key (a call
 * and its replays), and to find them from a key the call log shows; not the key.
 */
export function keyHash(key: string): string {
  return createHash("sha256").update(key).digest("hex").slice(0, 16);
}

/** A call answered by the server itself (shutdown): its error code, from the envelope in `_meta`. */
function recordAnswer(call: Span, result: unknown): void {
  const error = (result as { _meta?: { error?: { code?: unknown; retryable?: unknown } } } | undefined)?._meta
    ?.error;
  const outcome = typeof error?.code === "string" ? error.code : "unfinished";
  call.setAttributes({ "gtm.outcome": outcome, "gtm.retryable": error?.retryable === true });
  call.setAttribute("error.type", outcome);
  call.setStatus({ code: SpanStatusCode.ERROR, message: outcome });
}
