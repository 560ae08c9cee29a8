// node:diagnostics_channel is how Node's own modules (undici, http) report to observers: a
// publish without a subscriber costs one boolean check, and the publisher needs to know
// nothing of who listens. The upstream client, the circuit breaker and credential providers
// publish here; the server's metrics (and any tracer) subscribe. It keeps prom-client out of
// `@gtm-mcp/tool-kit/upstream` and needs no change in the servers that build the clients.
import { channel, type TracingChannelSubscribers, tracingChannel } from "node:diagnostics_channel";

/** One HTTP attempt to a vendor ended (a success, a failure, or no answer at all). */
export interface UpstreamAttemptEvent {
  system: string;
  operation: string;
  /** The HTTP status, or undefined when no answer came (refused, reset, timed out). */
  status: number | undefined;
  /** 1 for the first attempt of a request. */
  attempt: number;
  durationMs: number;
  /** The error code of a failed attempt. */
  code?: string;
  /** A 2xx answer whose body did not match the request's schema. */
  drift: boolean;
}

/** One request (every attempt of it) ended, or was refused by the open circuit (`attempts` 0). */
export interface UpstreamRequestEvent {
  system: string;
  operation: string;
  /** The last attempt's status, undefined when none answered. */
  status: number | undefined;
  attempts: number;
  /** The error code when the request failed. */
  code?: string;
}

/** A circuit breaker changed state (or was created, `closed`). */
export interface BreakerEvent {
  system: string;
  state: "closed" | "open" | "half-open";
}

/** When a credential stops working, as far as this process knows. */
export interface CredentialExpiryEvent {
  /** A name for the credential: the vendor system (`gmail`, `snowflake`) or the secret's variable. */
  credential: string;
  /** Epoch ms. */
  expiresAt: number;
  /**
   * Whether the process renews it by itself before it expires (an OAuth access token, a
   * signed JWT): then only an expired value is news. A long-lived token a person must replace
   * (a programmatic access token) is not.
   */
  renewed: boolean;
}

/**
 * What a traced upstream request is known by as it starts: never the path, the query or a
 * header (they carry record ids, search terms and the credential), only where it goes.
 */
export interface UpstreamRequestStart {
  system: string;
  operation: string;
  method: string;
  /** The vendor's host name (no user info, no port). */
  address: string;
  port: number;
}

/** Channel names; stable, since observers outside the tool-kit may subscribe to them. */
export const OBSERVE_CHANNELS = {
  upstreamAttempt: "gtm-mcp:upstream-attempt",
  upstreamRequest: "gtm-mcp:upstream-request",
  breaker: "gtm-mcp:breaker",
  credentialExpiry: "gtm-mcp:credential-expiry",
  /** A tracing channel (`tracing:gtm-mcp:upstream:start` …): one upstream request, every attempt of it. */
  upstreamTrace: "gtm-mcp:upstream",
} as const;

const attemptChannel = channel(OBSERVE_CHANNELS.upstreamAttempt);
const requestChannel = channel(OBSERVE_CHANNELS.upstreamRequest);
const breakerChannel = channel(OBSERVE_CHANNELS.breaker);
const expiryChannel = channel(OBSERVE_CHANNELS.credentialExpiry);
const upstreamTracing = tracingChannel<unknown, UpstreamRequestStart>(OBSERVE_CHANNELS.upstreamTrace);

/**
 * Runs one upstream request (every attempt of it) inside the upstream tracing channel, so a
 * tracer can open a span as it starts, see its attempts and request events published from
 * within it (they run in the async context the tracer's bound store gives it), and close the
 * span when it settles. With no tracer it is a plain call: one boolean check, `start` unbuilt.
 */
export function traceUpstreamRequest<T>(
  start: () => UpstreamRequestStart,
  run: () => Promise<T>,
): Promise<T> {
  if (!upstreamTracing.hasSubscribers) return run();
  return upstreamTracing.tracePromise(run, start());
}

/** The upstream tracing channel, for a tracer to bind its store to and subscribe. */
export function upstreamTracingChannel() {
  return upstreamTracing;
}

/** The handlers a tracer gives {@link upstreamTracingChannel}'s `subscribe`. */
export type UpstreamTraceSubscribers = TracingChannelSubscribers<UpstreamRequestStart>;

/** Reports one upstream attempt (the upstream client does). */
export function publishUpstreamAttempt(event: UpstreamAttemptEvent): void {
  if (attemptChannel.hasSubscribers) attemptChannel.publish(event);
}

/** Reports one finished upstream request (the upstream client does). */
export function publishUpstreamRequest(event: UpstreamRequestEvent): void {
  if (requestChannel.hasSubscribers) requestChannel.publish(event);
}

/** Reports a circuit breaker's state (the circuit breaker does). */
export function publishBreakerState(event: BreakerEvent): void {
  if (breakerChannel.hasSubscribers) breakerChannel.publish(event);
}

/**
 * Tells the metrics when a credential expires: a programmatic access token's expiry read at
 * start (`renewed: false`, a person must replace it), or a self-renewing one. The upstream
 * client reports a `CredentialProvider.expiresAt()` by itself, as renewed.
 */
export function reportCredentialExpiry(
  credential: string,
  expiresAt: number,
  options: { renewed?: boolean } = {},
): void {
  if (expiryChannel.hasSubscribers)
    expiryChannel.publish({ credential, expiresAt, renewed: options.renewed ?? false });
}

type Listener<T> = (event: T) => void;

/** The events a subscriber may take; each is optional. */
export interface ObserveListeners {
  upstreamAttempt?: Listener<UpstreamAttemptEvent>;
  upstreamRequest?: Listener<UpstreamRequestEvent>;
  breaker?: Listener<BreakerEvent>;
  credentialExpiry?: Listener<CredentialExpiryEvent>;
}

/** Subscribes to the tool-kit's events; returns the function that unsubscribes again. */
export function subscribeObserveEvents(listeners: ObserveListeners): () => void {
  const pairs: Array<[ReturnType<typeof channel>, (message: unknown) => void]> = [];
  const add = <T>(ch: ReturnType<typeof channel>, fn: Listener<T> | undefined) => {
    if (!fn) return;
    const wrapped = (message: unknown) => {
      try {
        fn(message as T);
      } catch {
        // An observer's fault must never reach the publisher (a tool call).
      }
    };
    ch.subscribe(wrapped);
    pairs.push([ch, wrapped]);
  };
  add(attemptChannel, listeners.upstreamAttempt);
  add(requestChannel, listeners.upstreamRequest);
  add(breakerChannel, listeners.breaker);
  add(expiryChannel, listeners.credentialExpiry);
  return () => {
    for (const [ch, fn] of pairs) ch.unsubscribe(fn);
  };
}
