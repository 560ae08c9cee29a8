import type { Dispatcher } from "undici";
import type { z } from "zod";
import { isToolError, ToolError } from "../errors/index.js";
import {
  type AbortCause,
  type AttemptFailure,
  classifyHttpError,
  classifyTransportFailure,
  contractViolation,
  type DriftIssue,
  driftIssues,
  type RequestFacts,
} from "./classify.js";
import { dispatchOnce, type RawResponse, TransportFailure } from "./dispatch-once.js";
import type { UpstreamClientOptions, UpstreamRequest, UpstreamResponse } from "./types.js";

/** What one attempt needs from the client. */
export interface AttemptContext {
  options: UpstreamClientOptions;
  dispatcher: Dispatcher;
  origin: string;
  /** The base URL's path, no trailing slash (`/gmail/v1/users/me`). */
  pathPrefix: string;
  userAgent: string;
}

/** The result of one HTTP attempt: a parsed response, or a classified failure. */
export type AttemptOutcome<T> =
  | { ok: true; outage: false; response: UpstreamResponse<T> }
  | ({ ok: false; drift?: DriftIssue[]; rejectedCredential?: string } & AttemptFailure);

/**
 * Sends the request once, within `deadline`, and classifies what came back (see
 * `classify.ts`). Never throws: every failure is an outcome, so the retry loop and the
 * circuit breaker see them all.
 */
export async function sendAttempt<T>(
  ctx: AttemptContext,
  request: UpstreamRequest<T>,
  deadline: number,
  callSignal: AbortSignal | undefined,
): Promise<AttemptOutcome<T>> {
  const { options } = ctx;
  const facts: RequestFacts = {
    method: request.method,
    path: request.path,
    operation: request.operation,
    safeToRepeat: request.safeToRepeat,
  };
  const budgetMs = Math.max(0, deadline - Date.now());
  const timer = new AbortController();
  const timeout = setTimeout(() => timer.abort(new Error("deadline passed")), budgetMs);
  const signal = callSignal ? AbortSignal.any([callSignal, timer.signal]) : timer.signal;

  let body: string | undefined;
  let headers: Record<string, string>;
  let secret: string;
  try {
    // Read at send time, so a rotated secret is used from the next request on.
    secret = await options.credential.get();
    body = request.body === undefined ? undefined : JSON.stringify(request.body);
    headers = {
      accept: "application/json",
      "user-agent": ctx.userAgent,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
      ...request.headers,
      ...options.authHeaders(secret),
    };
  } catch (cause) {
    clearTimeout(timeout);
    // A credential provider's own refusal (a token endpoint saying the grant was revoked, or
    // down) is the answer: nothing was sent.
    if (isToolError(cause)) return { ok: false, error: cause, written: false, outage: false };
    // An unreadable credential file or an unserialisable body is this server's fault.
    const error = new ToolError(
      "INTERNAL",
      `The ${options.system} client could not prepare ${request.operation}.`,
      {
        cause,
      },
    );
    return { ok: false, error, written: false, outage: false };
  }

  let raw: RawResponse;
  try {
    raw = await dispatchOnce(
      ctx.dispatcher,
      { origin: ctx.origin, path: fullPath(ctx.pathPrefix, request), method: request.method, headers, body },
      signal,
    );
  } catch (error) {
    const failure = error instanceof TransportFailure ? error : new TransportFailure(error, false);
    const abortCause: AbortCause = callSignal?.aborted
      ? "cancelled"
      : timer.signal.aborted
        ? "deadline"
        : undefined;
    return { ok: false, ...classifyTransportFailure(failure, options.system, facts, abortCause, budgetMs) };
  } finally {
    clearTimeout(timeout);
  }

  const text = raw.body.toString("utf8");
  const json = parseJson(text);
  const requestId = requestIdOf(options, raw.headers, json.ok ? json.value : text);
  const okStatuses = request.okStatuses;
  const isOk = okStatuses ? okStatuses.includes(raw.status) : raw.status >= 200 && raw.status < 300;

  if (isOk || (raw.status >= 200 && raw.status < 300)) {
    let drift: DriftIssue[];
    if (!isOk) {
      drift = [
        { path: "(status)", code: "unexpected_status", message: `status ${raw.status} was not expected` },
      ];
    } else if (!json.ok) {
      drift = [{ path: "(root)", code: "invalid_json", message: "the body is not JSON" }];
    } else {
      const parsed = (request.schema as z.ZodType<T>).safeParse(json.value);
      if (parsed.success) {
        const response: UpstreamResponse<T> = { status: raw.status, headers: raw.headers, body: parsed.data };
        if (requestId !== undefined) response.requestId = requestId;
        return { ok: true, outage: false, response };
      }
      drift = driftIssues(parsed.error);
    }
    const error = contractViolation(options.system, facts, raw.status, requestId, drift, options.scrub);
    return { ok: false, error, written: true, status: raw.status, outage: false, drift };
  }

  return {
    ok: false,
    // Which credential the vendor refused, so a provider can tell a stale token from its current one.
    ...(raw.status === 401 ? { rejectedCredential: secret } : {}),
    ...classifyHttpError({
      system: options.system,
      request: facts,
      status: raw.status,
      headers: raw.headers,
      body: json.ok ? json.value : text,
      rawBody: text,
      requestId,
      mapError: options.mapError,
      scrub: options.scrub,
      now: Date.now(),
    }),
  };
}

/** Base path + request path + query string (undefined values left out). */
export function fullPath(prefix: string, request: Pick<UpstreamRequest<unknown>, "path" | "query">): string {
  const path = `${prefix}${request.path.startsWith("/") ? "" : "/"}${request.path}`;
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(request.query ?? {})) {
    if (value !== undefined) query.append(key, String(value));
  }
  const qs = query.toString();
  return qs === "" ? path : `${path}${path.includes("?") ? "&" : "?"}${qs}`;
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  // An empty body (204, 202 without content) is "no value", for schemas that allow it.
  if (text.trim() === "") return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

function requestIdOf(
  options: UpstreamClientOptions,
  headers: Record<string, string>,
  body: unknown,
): string | undefined {
  try {
    return options.requestIdOf?.(headers, body);
  } catch {
    return undefined;
  }
}
