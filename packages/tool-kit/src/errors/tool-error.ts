import { type ErrorCode, isErrorCode, isRetryable } from "./codes.js";

/** Whether the failed call changed anything upstream. */
export type SideEffect = "none" | "committed" | "unknown";

/** Which vendor answered, and how, for an error that came from upstream. */
export interface UpstreamInfo {
  system: string;
  status?: number;
  requestId?: string;
}

/** Everything a {@link ToolError} can carry besides its code and message. */
export interface ToolErrorOptions {
  /** How long the caller should wait before retrying, when known. */
  retryAfterMs?: number;
  /** For `INVALID_INPUT`: the JSON path of the offending argument (`contacts[2].email`). */
  field?: string;
  /** Whether a side effect happened; defaults to `"none"`. */
  sideEffect?: SideEffect;
  upstream?: UpstreamInfo;
  /** Extra machine-readable facts (differing fields, limit and count used, …). */
  details?: Record<string, unknown>;
  /** The underlying cause: logged, never returned to the model. */
  cause?: unknown;
}

/**
 * The one error type tools throw. Its code comes from the closed list in `codes.ts`, and
 * `retryable` is derived from that code. Anything else thrown inside a tool becomes
 * `INTERNAL` in {@link toErrorEnvelope}.
 */
export class ToolError extends Error {
  override readonly name = "ToolError";
  readonly code: ErrorCode;
  readonly retryAfterMs: number | undefined;
  readonly field: string | undefined;
  readonly sideEffect: SideEffect;
  readonly upstream: UpstreamInfo | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: ToolErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retryAfterMs = options.retryAfterMs;
    this.field = options.field;
    this.sideEffect = options.sideEffect ?? "none";
    this.upstream = options.upstream;
    this.details = options.details;
  }

  get retryable(): boolean {
    return isRetryable(this.code);
  }

  /** A copy of this error with some options replaced (for example `sideEffect` once known). */
  with(options: ToolErrorOptions): ToolError {
    return new ToolError(this.code, this.message, {
      retryAfterMs: this.retryAfterMs,
      field: this.field,
      sideEffect: this.sideEffect,
      upstream: this.upstream,
      details: this.details,
      cause: this.cause,
      ...options,
    });
  }
}

/**
 * Whether `value` is a {@link ToolError} (also across duplicated module copies). A foreign
 * error merely named "ToolError" counts only when its code is one of the closed list: an
 * error carrying a system code (`ECONNRESET`) is not one, and becomes `INTERNAL`.
 */
export function isToolError(value: unknown): value is ToolError {
  if (value instanceof ToolError) return true;
  return (
    value instanceof Error && value.name === "ToolError" && isErrorCode((value as { code?: unknown }).code)
  );
}
