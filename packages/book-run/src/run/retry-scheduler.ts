import {
  DEFAULT_RETRY_LIMITS,
  type Disposition,
  decideOnError,
  type RetryLimits,
  type WorkflowStep,
} from "../policy/index.js";
import type { CallOutcome } from "./call-outcome.js";

/** Injected so tests control time and chance. */
export interface SchedulerClock {
  sleep(ms: number): Promise<void>;
  random(): number;
}

/** The settled result of one step: its last outcome and what the policy said about it. */
export interface StepResult {
  outcome: CallOutcome;
  attempts: number;
  /** Set when the last outcome is an error. */
  disposition?: Disposition;
  /** The write succeeded after an attempt whose side effect was unknown (the server reconciled). */
  reconciled: boolean;
  /** Waits taken before each retry, in order. */
  waits: number[];
  /** Some attempt may have acted without an answer (the vendor may hold the write). */
  sawUnknown: boolean;
  /** Attempts whose answer was lost (`OUTCOME_UNKNOWN` or a side effect `unknown`): each may have acted. */
  lostAnswers: number;
}

/**
 * Calls `attempt` until it succeeds or the error policy says stop: each retry is the same call
 * (the caller closes over the same arguments) after the wait the policy names.
 */
export async function runStep(
  step: WorkflowStep,
  attempt: () => Promise<CallOutcome>,
  clock: SchedulerClock,
  limits: RetryLimits = DEFAULT_RETRY_LIMITS,
  onRetry?: (code: string, afterMs: number) => void,
): Promise<StepResult> {
  const waits: number[] = [];
  let lostAnswers = 0;
  for (let n = 1; ; n++) {
    const outcome = await attempt();
    if (outcome.ok)
      return {
        outcome,
        attempts: n,
        reconciled: lostAnswers > 0 && !outcome.replayed,
        waits,
        sawUnknown: lostAnswers > 0,
        lostAnswers,
      };
    if (outcome.error.sideEffect === "unknown" || outcome.error.code === "OUTCOME_UNKNOWN") lostAnswers++;
    const disposition = decideOnError(step, outcome.error, n, limits, clock.random());
    if (disposition.action !== "retry")
      return {
        outcome,
        attempts: n,
        disposition,
        reconciled: false,
        waits,
        sawUnknown: lostAnswers > 0,
        lostAnswers,
      };
    waits.push(disposition.afterMs);
    onRetry?.(outcome.error.code, disposition.afterMs);
    await clock.sleep(disposition.afterMs);
  }
}
