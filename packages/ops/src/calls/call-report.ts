import type { CallRecord, DriftRecord } from "./call-log-line.js";

/** Figures over a set of calls. */
export interface CallFigures {
  calls: number;
  errors: number;
  errorRate: number;
  retried: number;
  retryRate: number;
  replayed: number;
  replayRate: number;
  p50Ms: number;
  p95Ms: number;
}

/** A tool whose retry rate in the last hour rose against the hours before it. */
export interface RisingRetry {
  tool: string;
  hour: string;
  retryRate: number;
  /** The retry rate over every earlier hour in the log. */
  baselineRate: number;
}

/** The whole report, as `--json` prints it. */
export interface CallReport {
  from: string | null;
  to: string | null;
  total: CallFigures;
  tools: Array<{ tool: string } & CallFigures>;
  hours: Array<{ hour: string; tool: string } & CallFigures>;
  risingRetries: RisingRetry[];
  contractViolations: Array<{ tool: string; calls: number; last: string }>;
  upstreamDrift: Array<{ system: string; operation: string; count: number; lastPath: string; last: string }>;
}

/** A rise is flagged at twice the baseline, at least 5 %, on at least 5 calls in the hour (the alert's shape). */
const RISE_FACTOR = 2;
const RISE_MIN_RATE = 0.05;
const RISE_MIN_CALLS = 5;
/** Outcomes that are not errors: a success, and the client's own cancellation. */
const NOT_ERRORS = new Set(["ok", "cancelled"]);

/** Collects calls and drift lines; `report()` may be called at any time (`--follow`). */
export class CallReportBuilder {
  readonly #calls: CallRecord[] = [];
  readonly #drift: DriftRecord[] = [];

  addCall(call: CallRecord): void {
    this.#calls.push(call);
  }

  addDrift(drift: DriftRecord): void {
    this.#drift.push(drift);
  }

  get size(): number {
    return this.#calls.length + this.#drift.length;
  }

  report(): CallReport {
    const calls = this.#calls;
    const times = calls.map((c) => c.time);
    const byTool = groupBy(calls, (c) => c.tool);
    const byHour = groupBy(calls, (c) => `${hourOf(c.time)}\u0000${c.tool}`);
    const hours = [...byHour.entries()]
      .map(([key, group]) => {
        const [hour, tool] = key.split("\u0000") as [string, string];
        return { hour, tool, ...figures(group) };
      })
      .sort((a, b) => a.hour.localeCompare(b.hour) || a.tool.localeCompare(b.tool));
    return {
      from: times.length ? new Date(Math.min(...times)).toISOString() : null,
      to: times.length ? new Date(Math.max(...times)).toISOString() : null,
      total: figures(calls),
      tools: [...byTool.entries()]
        .map(([tool, group]) => ({ tool, ...figures(group) }))
        .sort((a, b) => a.tool.localeCompare(b.tool)),
      hours,
      risingRetries: risingRetries(byTool),
      contractViolations: [...byTool.entries()].flatMap(([tool, group]) => {
        const hits = group.filter((c) => c.outcome === "UPSTREAM_CONTRACT_VIOLATION");
        if (hits.length === 0) return [];
        return [{ tool, calls: hits.length, last: iso(Math.max(...hits.map((c) => c.time))) }];
      }),
      upstreamDrift: [...groupBy(this.#drift, (d) => `${d.system} ${d.operation}`).values()].map((group) => {
        const last = group.reduce((a, b) => (b.time >= a.time ? b : a));
        return {
          system: last.system,
          operation: last.operation,
          count: group.length,
          lastPath: last.path,
          last: iso(last.time),
        };
      }),
    };
  }
}

/** For each tool: its last hour's retry rate against all its earlier hours together. */
function risingRetries(byTool: Map<string, CallRecord[]>): RisingRetry[] {
  const rising: RisingRetry[] = [];
  for (const [tool, group] of byTool) {
    const perHour = groupBy(group, (c) => hourOf(c.time));
    const ordered = [...perHour.keys()].sort();
    const lastHour = ordered.at(-1);
    if (lastHour === undefined || ordered.length < 2) continue;
    const last = perHour.get(lastHour) ?? [];
    const before = ordered.slice(0, -1).flatMap((h) => perHour.get(h) ?? []);
    const rate = share(last, (c) => c.retried);
    const baseline = share(before, (c) => c.retried);
    if (last.length >= RISE_MIN_CALLS && rate >= RISE_MIN_RATE && rate > RISE_FACTOR * baseline) {
      rising.push({ tool, hour: lastHour, retryRate: rate, baselineRate: baseline });
    }
  }
  return rising.sort((a, b) => a.tool.localeCompare(b.tool));
}

function figures(calls: CallRecord[]): CallFigures {
  const durations = calls.map((c) => c.durationMs).sort((a, b) => a - b);
  const errors = calls.filter((c) => !NOT_ERRORS.has(c.outcome)).length;
  const retried = calls.filter((c) => c.retried).length;
  const replayed = calls.filter((c) => c.replayed).length;
  return {
    calls: calls.length,
    errors,
    errorRate: ratio(errors, calls.length),
    retried,
    retryRate: ratio(retried, calls.length),
    replayed,
    replayRate: ratio(replayed, calls.length),
    p50Ms: percentile(durations, 0.5),
    p95Ms: percentile(durations, 0.95),
  };
}

/** Nearest-rank percentile of sorted values (0 for none). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? 0;
}

function share<T>(items: T[], pick: (item: T) => boolean): number {
  return ratio(items.filter(pick).length, items.length);
}

function ratio(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((part / whole) * 10_000) / 10_000;
}

/** `2026-11-29T13:00Z`: the UTC hour a time falls in. */
function hourOf(time: number): string {
  return `${new Date(time).toISOString().slice(0, 13)}:00Z`;
}

function iso(time: number): string {
  return new Date(time).toISOString();
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
