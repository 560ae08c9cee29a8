import type { Context, Span } from "@opentelemetry/api";

/** One traced tool call, as the async context of its execution carries it. */
export interface TraceScope {
  /** The context children start in: the call's span, or inside an upstream request, the request's. */
  context: Context;
  call: Span;
  /** Shared by the call's scope and its requests' scopes. */
  state: { recorded: boolean };
  /** Inside an upstream request: its span. */
  request?: Span;
}
