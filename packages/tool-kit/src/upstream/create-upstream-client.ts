import { createRequire } from "node:module";
import { type Dispatcher, Pool } from "undici";
import { newCallStats } from "../core/call-scope.js";
import { type ErrorCode, ToolError } from "../errors/index.js";
import {
  publishUpstreamAttempt,
  publishUpstreamRequest,
  reportCredentialExpiry,
  traceUpstreamRequest,
  type UpstreamRequestStart,
} from "../observe/events.js";
import { backoffDelay, sleep } from "./backoff.js";
import { type CircuitBlocked, createCircuitBreaker } from "./circuit-breaker.js";
import { type AttemptContext, type AttemptOutcome, sendAttempt } from "./send-attempt.js";
import type {
  CallScope,
  UpstreamClient,
  UpstreamClientOptions,
  UpstreamRequest,
  UpstreamResponse,
} from "./types.js";

const DEFAULT_DEADLINE_MS = 8000;
const DEFAULT_CONNECT_TIMEOUT_MS = 3000;
const DEFAULT_CONNECTIONS = 16;
const DEFAULT_MAX_ATTEMPTS = 6;
const DEFAULT_MAX_HINT_WAIT_MS = 5000;
/** Vendors close idle connections after ~60 s; undici keeps ours for less so it never reuses a dead one. */
const KEEP_ALIVE_MS = 30_000;
/** A retry that would start with less than this before the deadline could not finish: not worth sending. */
const MIN_ATTEMPT_MS = 50;
/** Codes worth another attempt inside the same call (everything else, QUOTA_EXHAUSTED included, is final). */
const RETRIED_CODES: ReadonlySet<ErrorCode> = new Set([
  "UPSTREAM_UNAVAILABLE",
  "UPSTREAM_TIMEOUT",
  "RATE_LIMITED",
]);

/**
 * A vendor client over undici (a keep-alive `Pool` on the base URL's origin, or
 * `options.dispatcher`). `request` sends a JSON request with the credential's auth headers,
 * retries inside the call's deadline only what is safe to repeat (any request whose failure
 * came before it was written; otherwise only `safeToRepeat` ones) with jittered exponential
 * backoff or the vendor's wait hint, re-sends once after a 401 when the credential file
 * rotated, fails fast while the circuit is open, and parses a success with the request's zod
 * schema.
 *
 * Throws `ToolError`: UPSTREAM_UNAVAILABLE (refused, DNS, reset before write, 5xx, circuit
 * open), UPSTREAM_TIMEOUT (reset or no answer after write, deadline), RATE_LIMITED (429, or a
 * wait that does not fit the deadline, with `retryAfterMs`), PERMISSION_DENIED (401/403),
 * NOT_FOUND (404), CONFLICT (409), UPSTREAM_REJECTED (other 4xx), UPSTREAM_CONTRACT_VIOLATION
 * (a 2xx body that is not JSON or fails the schema), INTERNAL (unreadable credential, client
 * misuse), and whatever the vendor mapper chooses (QUOTA_EXHAUSTED, INVALID_INPUT, …).
 */
export function createUpstreamClient(options: UpstreamClientOptions): UpstreamClient {
  const base = new URL(options.baseUrl);
  const ownDispatcher = options.dispatcher
    ? undefined
    : new Pool(base.origin, {
        connections: options.connections ?? DEFAULT_CONNECTIONS,
        keepAliveTimeout: KEEP_ALIVE_MS,
        connect: { timeout: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS },
      });
  const ctx: AttemptContext = {
    options,
    dispatcher: (options.dispatcher ?? ownDispatcher) as Dispatcher,
    origin: base.origin,
    pathPrefix: base.pathname.replace(/\/+$/, ""),
    userAgent: options.userAgent ?? `gtm-mcp/${toolKitVersion()} (+${options.system})`,
  };
  const circuit = createCircuitBreaker({ ...options.breaker, system: options.system });
  const backoff = {
    initialMs: options.backoff?.initialMs ?? 100,
    maxMs: options.backoff?.maxMs ?? 2000,
  };
  const maxAttempts = options.backoff?.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const maxHintWaitMs = options.backoff?.maxHintWaitMs ?? DEFAULT_MAX_HINT_WAIT_MS;
  const { system, logger } = options;
  const port = Number(base.port) || (base.protocol === "https:" ? 443 : 80);
  const traceStart = (req: UpstreamRequest<unknown>): UpstreamRequestStart => ({
    system,
    operation: req.operation,
    method: req.method,
    address: base.hostname,
    port,
  });

  /** One call, traced when a tracer listens (see `traceUpstreamRequest`). */
  function request<T>(req: UpstreamRequest<T>, scope: CallScope = {}): Promise<UpstreamResponse<T>> {
    return traceUpstreamRequest(
      () => traceStart(req),
      () => requestOnce(req, scope),
    );
  }

  /**
   * One call: the circuit sees it as one outcome (its last attempt's), so a single call's
   * retries cannot open it alone: "sustained failures" means failing calls, not attempts.
   */
  async function requestOnce<T>(req: UpstreamRequest<T>, scope: CallScope): Promise<UpstreamResponse<T>> {
    const blocked = circuit.blocked();
    if (blocked) throw refused(req, blocked);
    const settled = await circuit.run(() => attemptAll(req, scope));
    // Refused by the circuit although `blocked()` let it through: another call opened it meanwhile.
    if (settled === undefined) {
      throw refused(req, circuit.blocked() ?? { state: "open", retryAfterMs: circuit.halfOpenAfterMs });
    }
    publishUpstreamRequest({
      system,
      operation: req.operation,
      status: settled.status,
      attempts: settled.attempts,
      ...(settled.error ? { code: settled.error.code } : {}),
    });
    if (settled.response) return settled.response as UpstreamResponse<T>;
    const error = settled.error as ToolError;
    // This call's failure opened the circuit: its real error says more than "open", plus the wait.
    const nowBlocked = circuit.blocked();
    throw nowBlocked && settled.outage ? error.with({ retryAfterMs: nowBlocked.retryAfterMs }) : error;
  }

  /** A request the open circuit turned away: counted with no attempt, then thrown. */
  function refused(req: UpstreamRequest<unknown>, blocked: CircuitBlocked): ToolError {
    const error = circuitOpenError(req, blocked);
    publishUpstreamRequest({
      system,
      operation: req.operation,
      status: undefined,
      attempts: 0,
      code: error.code,
    });
    return error;
  }

  /** Every attempt of one call, retried as allowed; settles with the response or the last error. */
  async function attemptAll<T>(req: UpstreamRequest<T>, scope: CallScope): Promise<Settled<T>> {
    const stats = scope.stats ?? newCallStats();
    const deadline = scope.deadline ?? Date.now() + (options.deadlineMs ?? DEFAULT_DEADLINE_MS);
    let attempt = 0;
    let rotated = false;
    let status: number | undefined;
    let lastFailure: Settled<T> | undefined;
    const fail = (error: ToolError, outage: boolean): Settled<T> => ({
      outage,
      error,
      attempts: attempt,
      status,
    });

    for (;;) {
      if (deadline - Date.now() <= 0) {
        if (lastFailure) return lastFailure;
        return fail(
          new ToolError(
            "UPSTREAM_TIMEOUT",
            `The call's deadline passed before ${req.operation} was sent to ${system}.`,
            {
              upstream: { system },
            },
          ),
          false,
        );
      }

      attempt += 1;
      const started = Date.now();
      stats.attempts += 1;
      const sent =
        attempt > 1 && req.retryQuery ? { ...req, query: { ...req.query, ...req.retryQuery } } : req;
      const outcome = await sendAttempt(ctx, sent, deadline, scope.signal);
      status = outcome.ok ? outcome.response.status : outcome.status;
      logAttempt(req, attempt, Date.now() - started, outcome);
      if (outcome.ok) return { outage: false, response: outcome.response, attempts: attempt, status };

      // A 401 did not act, so even a create may be re-sent, once, if the secret file changed.
      if (outcome.status === 401 && !rotated && options.credential.refresh) {
        rotated = true;
        if (await refreshCredential(req, outcome.rejectedCredential)) {
          stats.retried = true;
          continue;
        }
      }

      const { error } = outcome;
      lastFailure = fail(error, outcome.outage);
      // A 429 is a refusal: the vendor did not act, so even a create may be sent again.
      const mayResend = req.safeToRepeat || !outcome.written || outcome.status === 429;
      const final = outcome.final === true;
      if (!RETRIED_CODES.has(error.code) || !mayResend || final || attempt >= maxAttempts) return lastFailure;

      const waitMs = outcome.waitHintMs ?? backoffDelay(attempt, backoff);
      if (waitMs > maxHintWaitMs || Date.now() + waitMs + MIN_ATTEMPT_MS > deadline) {
        // The vendor's wait (or ours) is too long or does not fit: give the caller the wait instead.
        const withWait =
          error.code === "RATE_LIMITED" && error.retryAfterMs === undefined
            ? error.with({ retryAfterMs: waitMs })
            : error;
        return fail(withWait, outcome.outage);
      }
      stats.retried = true;
      if (!(await sleep(waitMs, scope.signal))) return lastFailure;
    }
  }

  function circuitOpenError(req: UpstreamRequest<unknown>, blocked: CircuitBlocked): ToolError {
    const why =
      blocked.state === "open"
        ? `after ${circuit.consecutiveFailures} consecutive failures`
        : "while a probe request checks whether it recovered";
    return new ToolError(
      "UPSTREAM_UNAVAILABLE",
      `The ${system} circuit is open ${why}; ${req.operation} was not sent. Retry after ${blocked.retryAfterMs} ms.`,
      { retryAfterMs: blocked.retryAfterMs, upstream: { system } },
    );
  }

  async function refreshCredential(req: UpstreamRequest<unknown>, rejected?: string): Promise<boolean> {
    try {
      const changed = (await options.credential.refresh?.(rejected)) ?? false;
      logger.warn(
        { system, operation: req.operation, changed },
        "upstream answered 401; credential file re-read",
      );
      return changed;
    } catch (error) {
      logger.warn(
        {
          system,
          operation: req.operation,
          reason: options.scrub(error instanceof Error ? error.message : String(error)),
        },
        "upstream answered 401; credential file could not be re-read",
      );
      return false;
    }
  }

  function logAttempt(
    req: UpstreamRequest<unknown>,
    attempt: number,
    durationMs: number,
    outcome: AttemptOutcome<unknown>,
  ) {
    // Never the request headers: they hold the credential.
    const fields = { system, operation: req.operation, method: req.method, attempt, durationMs };
    publishUpstreamAttempt({
      system,
      operation: req.operation,
      status: outcome.ok ? outcome.response.status : outcome.status,
      attempt,
      durationMs,
      drift: !outcome.ok && outcome.drift !== undefined,
      ...(outcome.ok ? {} : { code: outcome.error.code }),
    });
    const expiresAt = options.credential.expiresAt?.();
    if (expiresAt !== undefined)
      reportCredentialExpiry(system, expiresAt, { renewed: options.credential.renews ?? true });
    if (outcome.ok) {
      const { status, requestId } = outcome.response;
      logger.debug({ ...fields, status, requestId }, "upstream call succeeded");
      return;
    }
    const { error } = outcome;
    const common = {
      ...fields,
      status: outcome.status,
      requestId: error.upstream?.requestId,
      code: error.code,
      sideEffect: error.sideEffect,
      written: outcome.written,
      transportCode: outcome.transportCode,
      retryAfterMs: error.retryAfterMs,
      message: error.message,
    };
    if (outcome.drift) {
      logger.error({ ...common, drift: outcome.drift }, "upstream response drifted from its schema");
    } else {
      logger.warn({ ...common, body: outcome.loggedBody }, "upstream attempt failed");
    }
  }

  return {
    system,
    request,
    async close() {
      await ownDispatcher?.close();
    },
  };
}

/** How one request settled: its response or last error, with the attempts made and the last status. */
interface Settled<T> {
  outage: boolean;
  response?: UpstreamResponse<T>;
  error?: ToolError;
  attempts: number;
  status: number | undefined;
}

let cachedVersion: string | undefined;

/** The tool-kit's version, from its package.json (same relative path from `src/` and `dist/`). */
function toolKitVersion(): string {
  if (cachedVersion === undefined) {
    try {
      const pkg = createRequire(import.meta.url)("../../package.json") as { version?: string };
      cachedVersion = pkg.version ?? "0.0.0";
    } catch {
      cachedVersion = "0.0.0";
    }
  }
  return cachedVersion;
}
