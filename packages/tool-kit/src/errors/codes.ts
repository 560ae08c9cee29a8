/**
 * The closed list of error codes a tool result can carry, and whether each is retryable.
 * This table is the only place retryability is decided: a code's `retryable` flag is never
 * set by hand at a throw site.
 */
export const ERROR_CODES = {
  INVALID_INPUT: { retryable: false },
  NOT_FOUND: { retryable: false },
  CONFLICT: { retryable: false },
  PERMISSION_DENIED: { retryable: false },
  WRITES_DISABLED: { retryable: false },
  CAP_EXCEEDED: { retryable: false },
  IDEMPOTENCY_KEY_REUSED: { retryable: false },
  IN_PROGRESS: { retryable: true },
  OUTCOME_UNKNOWN: { retryable: true },
  RATE_LIMITED: { retryable: true },
  QUOTA_EXHAUSTED: { retryable: false },
  UPSTREAM_UNAVAILABLE: { retryable: true },
  UPSTREAM_TIMEOUT: { retryable: true },
  UPSTREAM_REJECTED: { retryable: false },
  UPSTREAM_CONTRACT_VIOLATION: { retryable: false },
  STORE_UNAVAILABLE: { retryable: true },
  INTERNAL: { retryable: false },
} as const satisfies Record<string, { retryable: boolean }>;

/** One of the closed list of error codes (design.md §3). */
export type ErrorCode = keyof typeof ERROR_CODES;

/** Every error code, in declaration order. */
export const ERROR_CODE_LIST = Object.keys(ERROR_CODES) as ErrorCode[];

/** Whether a caller may retry a call that failed with `code`. */
export function isRetryable(code: ErrorCode): boolean {
  return ERROR_CODES[code].retryable;
}

/** Whether `value` is one of the closed list of error codes. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && Object.hasOwn(ERROR_CODES, value);
}
