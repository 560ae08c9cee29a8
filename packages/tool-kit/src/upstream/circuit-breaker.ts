import {
  BrokenCircuitError,
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  handleWhenResult,
  IsolatedCircuitError,
} from "cockatiel";
import { publishBreakerState } from "../observe/events.js";

/** Options of {@link createCircuitBreaker}. */
export interface CircuitBreakerOptions {
  /** Consecutive availability failures that open the circuit (default 5). */
  consecutiveFailures?: number;
  /** How long the circuit stays open before one probe may pass (default 10 s). */
  halfOpenAfterMs?: number;
  /** The upstream's name: when given, every state change is published for the metrics. */
  system?: string;
}

/** Why a call may not go through right now. */
export interface CircuitBlocked {
  state: "open" | "half-open";
  /** How long until a probe may pass. */
  retryAfterMs: number;
}

/** What an attempt reports to the circuit: whether it showed the vendor unavailable. */
export interface CircuitOutcome {
  outage: boolean;
}

/** The circuit of one upstream client. */
export interface CircuitBreaker {
  /** Why a call may not start now, or undefined when it may. */
  blocked(): CircuitBlocked | undefined;
  /**
   * Runs one attempt through the circuit. The attempt reports its outcome as a value (it
   * must not throw); an outcome with `outage: true` counts as a failure, any other resets
   * the count. Resolves with `undefined` when the circuit refused the attempt.
   */
  run<T extends CircuitOutcome>(attempt: () => Promise<T>): Promise<T | undefined>;
  readonly consecutiveFailures: number;
  readonly halfOpenAfterMs: number;
}

/**
 * A consecutive-failure circuit breaker over cockatiel.
 *
 * Why cockatiel: it is small, dependency-free, typed and maintained, and its breaker has the
 * open → half-open (one probe) → closed/open state machine we would otherwise hand-write and
 * test. Two of its defaults do not fit and are worked around here: an error its policy does
 * not handle neither resets nor counts (so an attempt reports every outcome as a value and
 * only outages are "handled" results: a 404 proves the vendor is up and resets the count),
 * and calls arriving while the half-open probe runs wait for the probe's verdict, which would
 * stall them past their deadline, so `blocked()` turns them away first.
 */
export function createCircuitBreaker(options: CircuitBreakerOptions = {}): CircuitBreaker {
  const consecutiveFailures = options.consecutiveFailures ?? 5;
  const halfOpenAfterMs = options.halfOpenAfterMs ?? 10_000;
  let openedAt = 0;

  const policy = circuitBreaker(
    handleWhenResult((outcome) => (outcome as CircuitOutcome).outage === true),
    { halfOpenAfter: halfOpenAfterMs, breaker: new ConsecutiveBreaker(consecutiveFailures) },
  );
  policy.onBreak(() => {
    openedAt = Date.now();
  });
  const system = options.system;
  if (system !== undefined) {
    publishBreakerState({ system, state: "closed" });
    policy.onStateChange((state) => {
      publishBreakerState({
        system,
        state:
          state === CircuitState.Closed ? "closed" : state === CircuitState.HalfOpen ? "half-open" : "open",
      });
    });
  }

  return {
    consecutiveFailures,
    halfOpenAfterMs,
    blocked() {
      if (policy.state === CircuitState.HalfOpen) {
        return { state: "half-open", retryAfterMs: Math.min(1000, halfOpenAfterMs) };
      }
      if (policy.state === CircuitState.Open) {
        const left = halfOpenAfterMs - (Date.now() - openedAt);
        // Time is up: the next call is the probe (cockatiel moves to half-open on it).
        if (left > 0) return { state: "open", retryAfterMs: left };
      }
      return undefined;
    },
    async run<T extends CircuitOutcome>(attempt: () => Promise<T>): Promise<T | undefined> {
      try {
        return await policy.execute(attempt);
      } catch (error) {
        if (error instanceof BrokenCircuitError || error instanceof IsolatedCircuitError) return undefined;
        throw error;
      }
    },
  };
}
