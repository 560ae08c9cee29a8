import { type ErrorCode, isErrorCode, isRetryable } from "@gtm-mcp/tool-kit/errors";
import type { WorkflowStep } from "./workflow.js";

/** What the run does after a failed call. */
export type Disposition =
  /** Call again with the same arguments after `afterMs`. */
  | { action: "retry"; afterMs: number }
  /** Go on with this account without the step's data. */
  | { action: "continue_without"; reason: string }
  /** Nothing more for this account this run (it has no note; the next run starts it afresh). */
  | { action: "skip_account"; reason: string }
  /** Retries used up: leave this account's remaining steps to the next run (writes stay keyed). */
  | { action: "defer"; reason: string }
  /** A terminal write failure: the server put it in its review queue; never retried. */
  | { action: "review"; reason: string }
  /** A cap or a switch says no more of this tool in this run: never worked around. */
  | { action: "stop_tool"; reason: string };

/** How many attempts and how long a wait the run allows per call. */
export interface RetryLimits {
  /** Attempts per call, the first included. */
  maxAttempts: number;
  /** First backoff when the server gave no `retryAfterMs`; doubles per attempt. */
  baseBackoffMs: number;
  /** No single wait is longer. */
  maxWaitMs: number;
}

/**
 * The defaults: eight attempts, waits from 500 ms doubling, none over 30 s: together (about a
 * minute) they outlast a write lease (30 s) that a killed server process left held, so the
 * retry meets the key as unknown and the server reconciles it.
 */
export const DEFAULT_RETRY_LIMITS: RetryLimits = { maxAttempts: 8, baseBackoffMs: 500, maxWaitMs: 30_000 };

/** The part of the error envelope the policy reads. */
export interface ErrorFacts {
  code: string;
  retryAfterMs?: number;
  reviewId?: string;
}

const WRITE_STEPS: ReadonlySet<WorkflowStep> = new Set(["note", "draft", "send"]);

/**
 * The error-handling rule of the book workflow, the one the skill states in prose:
 *
 * - A retryable code (the tool-kit's table, never the caller's opinion) is retried with the
 *   SAME arguments after `retryAfterMs` (or a doubling backoff from 500 ms when the server gave
 *   none), at most `maxAttempts` attempts, no wait over `maxWaitMs`. A retried write cannot
 *   act twice: the server keys it and reconciles an unknown outcome.
 * - Enrichment is optional: `UPSTREAM_UNAVAILABLE` (an outage) is not waited on, and any other
 *   failure (`NOT_FOUND` is "no record", not "no data"; a credit `CAP_EXCEEDED`) lets the
 *   account go on with CRM and warehouse data.
 * - `NOT_FOUND` from the warehouse means no usage: the account goes on, assessed `no_usage`.
 * - A mailbox that cannot be read means no draft (never write to someone we cannot check on).
 * - A CRM account that cannot be read, or usage that fails terminally, skips the account.
 * - A write's `CAP_EXCEEDED` or `WRITES_DISABLED` stops that tool for the rest of the run;
 *   any other terminal write error is in the server's review queue and is not retried.
 * - Retries used up on a read or a write defer the account's remaining steps to the next run.
 *
 * `jitter` in [0, 1) spreads backoffs (injected so the rule stays pure).
 */
export function decideOnError(
  step: WorkflowStep,
  error: ErrorFacts,
  attempt: number,
  limits: RetryLimits = DEFAULT_RETRY_LIMITS,
  jitter = 0,
): Disposition {
  const code: ErrorCode = isErrorCode(error.code) ? error.code : "INTERNAL";
  if (step === "signals" && code === "UPSTREAM_UNAVAILABLE")
    return { action: "continue_without", reason: "enrichment unavailable" };
  if (isRetryable(code) && attempt < limits.maxAttempts)
    return { action: "retry", afterMs: waitBefore(attempt, error.retryAfterMs, limits, jitter) };
  const exhausted = isRetryable(code);
  switch (step) {
    case "signals":
      return { action: "continue_without", reason: `enrichment ${code}` };
    case "threads":
      return { action: "continue_without", reason: `mailbox ${code}` };
    case "usage":
      if (code === "NOT_FOUND") return { action: "continue_without", reason: "no usage" };
      return exhausted
        ? { action: "defer", reason: `usage ${code} after ${attempt} attempts` }
        : { action: "skip_account", reason: `usage ${code}` };
    case "account":
      return exhausted
        ? { action: "defer", reason: `account ${code} after ${attempt} attempts` }
        : { action: "skip_account", reason: `account ${code}` };
  }
  if (!WRITE_STEPS.has(step)) throw new Error(`no rule for step ${step}`);
  if (exhausted) return { action: "defer", reason: `${step} ${code} after ${attempt} attempts` };
  if (code === "CAP_EXCEEDED" || code === "WRITES_DISABLED") return { action: "stop_tool", reason: code };
  return {
    action: "review",
    reason: `${step} ${code}${error.reviewId ? ` (review ${error.reviewId})` : ""}`,
  };
}

/**
 * The wait before attempt `attempt + 1`: the server's `retryAfterMs` when given (it knows the
 * vendor's window), else `base · 2^(attempt-1)` scaled by 1 + jitter; never over `maxWaitMs`.
 */
export function waitBefore(
  attempt: number,
  retryAfterMs: number | undefined,
  limits: RetryLimits,
  jitter: number,
): number {
  const backoff = limits.baseBackoffMs * 2 ** Math.max(0, attempt - 1) * (1 + jitter);
  const wait = retryAfterMs !== undefined ? Math.max(retryAfterMs, 0) : backoff;
  return Math.min(Math.round(wait), limits.maxWaitMs);
}
