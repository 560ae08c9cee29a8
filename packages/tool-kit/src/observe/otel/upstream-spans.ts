import type { AsyncLocalStorage } from "node:async_hooks";
import { type Span, SpanKind, SpanStatusCode, type Tracer, trace } from "@opentelemetry/api";
import {
  subscribeObserveEvents,
  type UpstreamRequestStart,
  type UpstreamTraceSubscribers,
  upstreamTracingChannel,
} from "../events.js";
import type { TraceScope } from "./trace-scope.js";

/**
 * Upstream spans under the tool-call spans: one CLIENT span per request (`<system>
 * <operation>`), opened as the request starts inside a traced call (the tracing channel's
 * bound store makes it the current scope for every attempt), with one INTERNAL child per HTTP
 * attempt (`upstream attempt`, timed from the attempt's duration) so a retry shows as two.
 * Requests outside a traced call (the identity check at start) are not traced. Never the
 * path, query, headers or body: record ids, search terms and credentials live there.
 * Returns the function that stops listening.
 */
export function subscribeUpstreamSpans(tracer: Tracer, scopes: AsyncLocalStorage<TraceScope>): () => void {
  const channel = upstreamTracingChannel();
  const requests = new WeakMap<object, Span>();
  channel.start.bindStore(scopes, (start) => {
    const outer = scopes.getStore();
    // Outside a traced call: no span, and the store stays as it was (none).
    if (outer === undefined) return outer as unknown as TraceScope;
    const request = tracer.startSpan(
      `${start.system} ${start.operation}`,
      { kind: SpanKind.CLIENT, attributes: startAttributes(start) },
      outer.context,
    );
    requests.set(start, request);
    return { ...outer, context: trace.setSpan(outer.context, request), request };
  });
  const handlers: UpstreamTraceSubscribers = {
    start() {},
    end() {},
    asyncStart() {},
    asyncEnd(message) {
      const span = requests.get(message);
      if (span === undefined) return;
      requests.delete(message);
      const { error } = message as { error?: unknown };
      if (error !== undefined) {
        const code = (error as { code?: unknown }).code;
        const type = typeof code === "string" ? code : "error";
        span.setAttribute("error.type", type);
        span.setStatus({ code: SpanStatusCode.ERROR, message: type });
      }
      span.end();
    },
    error() {},
  };
  channel.subscribe(handlers);
  const unsubscribeEvents = subscribeObserveEvents({
    upstreamAttempt(event) {
      const scope = scopes.getStore();
      if (scope?.request === undefined) return;
      const end = Date.now();
      const attempt = tracer.startSpan(
        "upstream attempt",
        {
          kind: SpanKind.INTERNAL,
          startTime: end - event.durationMs,
          attributes: {
            "gtm.upstream.attempt": event.attempt,
            ...(event.attempt > 1 ? { "http.request.resend_count": event.attempt - 1 } : {}),
            ...(event.status === undefined ? {} : { "http.response.status_code": event.status }),
            ...(event.code === undefined ? {} : { "error.type": event.code }),
            ...(event.drift ? { "gtm.upstream.drift": true } : {}),
          },
        },
        scope.context,
      );
      if (event.code !== undefined) attempt.setStatus({ code: SpanStatusCode.ERROR, message: event.code });
      attempt.end(end);
    },
    upstreamRequest(event) {
      const scope = scopes.getStore();
      if (scope?.request === undefined) return;
      scope.request.setAttributes({
        "gtm.upstream.attempts": event.attempts,
        "gtm.upstream.retries": Math.max(0, event.attempts - 1),
        ...(event.status === undefined ? {} : { "http.response.status_code": event.status }),
      });
    },
  });
  return () => {
    channel.unsubscribe(handlers);
    channel.start.unbindStore(scopes);
    unsubscribeEvents();
  };
}

function startAttributes(start: UpstreamRequestStart) {
  return {
    "gtm.upstream.system": start.system,
    "gtm.upstream.operation": start.operation,
    "http.request.method": start.method,
    "server.address": start.address,
    "server.port": start.port,
  };
}
