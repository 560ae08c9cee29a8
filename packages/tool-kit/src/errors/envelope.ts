import { bounded } from "./bounded.js";
import type { ErrorCode } from "./codes.js";
import { isToolError, type SideEffect, ToolError, type UpstreamInfo } from "./tool-error.js";

/** The machine-readable error a failed tool call returns (design.md §3). */
export interface ErrorEnvelope {
  error: {
    code: ErrorCode;
    message: string;
    retryable: boolean;
    retryAfterMs?: number;
    field?: string;
    sideEffect: SideEffect;
    upstream?: UpstreamInfo;
    details?: Record<string, unknown>;
    idempotencyKey?: string;
    replayed?: boolean;
    reviewId?: string;
  };
}

/** Facts the pipeline adds to an envelope once it knows them. */
export interface EnvelopeContext {
  idempotencyKey?: string;
  replayed?: boolean;
  reviewId?: string;
  /** Applied to the message: removes configured secret values. */
  scrub?: (text: string) => string;
}

/** Longest message and field echoed whole in an envelope; longer ones are cut, their length stated. */
const MESSAGE_MAX = 1_000;
const FIELD_MAX = 300;
/** Longest details (as JSON) kept in an envelope; larger ones are replaced by their size. */
const DETAILS_MAX = 4_000;

const GENERIC_INTERNAL = "Internal error in the tool server; the details are in the server log.";

/**
 * The only converter from anything thrown to what the caller sees. A {@link ToolError}
 * keeps its code and facts; anything else becomes `INTERNAL` with a generic message (its
 * cause belongs in the log, never in the result: no stack trace or vendor body reaches the
 * model).
 */
export function toErrorEnvelope(thrown: unknown, context: EnvelopeContext = {}): ErrorEnvelope {
  const error = toToolError(thrown);
  const scrub = context.scrub ?? ((text: string) => text);
  // Every echoed text is bounded, whatever raised it: a caller controls names and values.
  const body: ErrorEnvelope["error"] = {
    code: error.code,
    message: bounded(scrub(error.message), MESSAGE_MAX),
    retryable: error.retryable,
    sideEffect: error.sideEffect,
  };
  if (error.retryAfterMs !== undefined) body.retryAfterMs = Math.max(0, Math.ceil(error.retryAfterMs));
  if (error.field !== undefined) body.field = bounded(scrub(error.field), FIELD_MAX);
  if (error.upstream !== undefined) body.upstream = { ...error.upstream };
  if (error.details !== undefined) body.details = scrubDetails(error.details, scrub);
  if (context.idempotencyKey !== undefined) body.idempotencyKey = context.idempotencyKey;
  if (context.replayed !== undefined) body.replayed = context.replayed;
  if (context.reviewId !== undefined) body.reviewId = context.reviewId;
  return { error: body };
}

/**
 * Details scrubbed of secrets. Never throws: details that cannot be serialised (a BigInt, a
 * cycle) or whose scrubbed text is no longer JSON are dropped, not allowed to turn a tool
 * failure into a protocol error.
 */
function scrubDetails(
  details: Record<string, unknown>,
  scrub: (text: string) => string,
): Record<string, unknown> {
  try {
    const json = scrub(JSON.stringify(details));
    if (json.length > DETAILS_MAX) return { truncated: true, chars: json.length };
    const scrubbed = JSON.parse(json) as unknown;
    if (scrubbed !== null && typeof scrubbed === "object" && !Array.isArray(scrubbed))
      return scrubbed as Record<string, unknown>;
  } catch {
    // fall through
  }
  return { redacted: true };
}

/** `thrown` as a {@link ToolError}: itself when it is one, otherwise a generic `INTERNAL`. */
export function toToolError(thrown: unknown): ToolError {
  if (isToolError(thrown)) return thrown;
  return new ToolError("INTERNAL", GENERIC_INTERNAL, { cause: thrown });
}
