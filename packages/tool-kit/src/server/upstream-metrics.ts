import { Counter, Gauge, type Registry } from "prom-client";
import { subscribeObserveEvents } from "../observe/events.js";

/** `2xx`…`5xx` for an answer, `none` when none came (refused, reset, timed out), `refused` when the open circuit kept it from being sent. */
export function statusClass(status: number | undefined, attempts = 1): string {
  if (attempts === 0) return "refused";
  if (status === undefined) return "none";
  return `${Math.floor(status / 100)}xx`;
}

/** Breaker states as the gauge's values: a sustained non-zero is an outage. */
const BREAKER_VALUE = { closed: 0, "half-open": 1, open: 2 } as const;

/**
 * The upstream series, fed by the events every upstream client of the process publishes:
 * `gtm_upstream_requests_total{system,operation,status_class}` (one per request, by its last
 * attempt), `gtm_upstream_attempts_total{…}` (every HTTP attempt), `gtm_upstream_retries_total
 * {system,operation}`, `gtm_upstream_contract_violations_total{system,operation}` (a 2xx whose
 * body drifted) and `gtm_upstream_breaker_state{system}` (0 closed, 1 half-open, 2 open).
 * Returns the unsubscribe function.
 */
export function registerUpstreamMetrics(registry: Registry): () => void {
  const labels = ["system", "operation", "status_class"] as const;
  const requests = new Counter({
    name: "gtm_upstream_requests_total",
    help: "Upstream requests by system, operation and the status class of their last attempt (refused: circuit open)",
    labelNames: labels,
    registers: [registry],
  });
  const attempts = new Counter({
    name: "gtm_upstream_attempts_total",
    help: "HTTP attempts sent upstream, by system, operation and status class (none: no answer)",
    labelNames: labels,
    registers: [registry],
  });
  const retries = new Counter({
    name: "gtm_upstream_retries_total",
    help: "Attempts after the first inside one request (retries), by system and operation",
    labelNames: ["system", "operation"] as const,
    registers: [registry],
  });
  const drift = new Counter({
    name: "gtm_upstream_contract_violations_total",
    help: "Vendor answers (2xx) whose body did not match the expected schema",
    labelNames: ["system", "operation"] as const,
    registers: [registry],
  });
  const breaker = new Gauge({
    name: "gtm_upstream_breaker_state",
    help: "Circuit breaker per upstream: 0 closed, 1 half-open, 2 open",
    labelNames: ["system"] as const,
    registers: [registry],
  });
  return subscribeObserveEvents({
    upstreamAttempt(event) {
      attempts.inc({
        system: event.system,
        operation: event.operation,
        status_class: statusClass(event.status),
      });
      if (event.drift) drift.inc({ system: event.system, operation: event.operation });
    },
    upstreamRequest(event) {
      const { system, operation } = event;
      requests.inc({ system, operation, status_class: statusClass(event.status, event.attempts) });
      // Created at zero, so a rate over it exists before the first retry.
      retries.inc({ system, operation }, Math.max(0, event.attempts - 1));
    },
    breaker(event) {
      breaker.set({ system: event.system }, BREAKER_VALUE[event.state]);
    },
  });
}
