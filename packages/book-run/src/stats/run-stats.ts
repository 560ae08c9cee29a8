import { latencySummary } from "./percentiles.js";

/** How an account's run ended. */
export type AccountStatus = "completed" | "skipped" | "deferred";

/** What the faults the run met became. */
export interface FaultOutcomes {
  /** Retryable errors answered by calling again. */
  retried: number;
  /** Writes the server answered from its key (an earlier attempt had acted). */
  replayed: number;
  /** Writes whose unknown outcome the server settled by looking at the vendor. */
  reconciled: number;
  /** Terminal write failures left in a server's review queue. */
  reviewed: number;
  /** Optional data (enrichment, mailbox) gone without. */
  tolerated: number;
  /** Accounts whose remaining steps were left to the next run. */
  deferred: number;
}

/** Per-tool figures. */
export interface ToolFigures {
  server: string;
  tool: string;
  calls: number;
  ok: number;
  errors: number;
  replays: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

/** What the live view shows. */
export interface LiveSnapshot {
  accountsDone: number;
  accountsTotal: number;
  calls: number;
  callsPerSecond: number;
  retries: number;
  replays: number;
  errorsByCode: Record<string, number>;
  faultsSeen: number;
  elapsedMs: number;
}

/** Codes a fault injected by an emulator (or a killed server) turns into. */
const FAULT_CODES = new Set([
  "RATE_LIMITED",
  "UPSTREAM_UNAVAILABLE",
  "UPSTREAM_TIMEOUT",
  "OUTCOME_UNKNOWN",
  "IN_PROGRESS",
]);

/** Seconds over which the live view's calls/s is averaged. */
const RATE_WINDOW_S = 5;

/**
 * Counts everything the report and the live view show. `now()` is injected (milliseconds);
 * times are kept relative to the collector's creation.
 */
export class RunStats {
  readonly #now: () => number;
  readonly #start: number;
  readonly #latencies = new Map<string, number[]>();
  readonly #tools = new Map<
    string,
    { server: string; tool: string; ok: number; errors: number; replays: number }
  >();
  readonly #perSecond: number[] = [];
  readonly errorsByCode: Record<string, number> = {};
  readonly retriesByCode: Record<string, number> = {};
  readonly capsHit: Record<string, number> = {};
  readonly accounts: Record<AccountStatus, number> = { completed: 0, skipped: 0, deferred: 0 };
  readonly faultOutcomes: FaultOutcomes = {
    retried: 0,
    replayed: 0,
    reconciled: 0,
    reviewed: 0,
    tolerated: 0,
    deferred: 0,
  };
  readonly accountsTotal: number;
  calls = 0;
  retries = 0;
  replays = 0;
  faultsSeen = 0;

  constructor(accountsTotal: number, now: () => number) {
    this.accountsTotal = accountsTotal;
    this.#now = now;
    this.#start = now();
  }

  /** Milliseconds since the collector was created. */
  elapsedMs(): number {
    return this.#now() - this.#start;
  }

  /** One answered call (each attempt counts). `code` is null for a success. */
  recordCall(server: string, tool: string, durationMs: number, code: string | null, replayed: boolean): void {
    const key = `${server}/${tool}`;
    let figures = this.#tools.get(key);
    if (figures === undefined) {
      figures = { server, tool, ok: 0, errors: 0, replays: 0 };
      this.#tools.set(key, figures);
      this.#latencies.set(key, []);
    }
    this.#latencies.get(key)?.push(durationMs);
    this.calls++;
    if (code === null) figures.ok++;
    else {
      figures.errors++;
      this.errorsByCode[code] = (this.errorsByCode[code] ?? 0) + 1;
      if (FAULT_CODES.has(code)) this.faultsSeen++;
      if (code === "CAP_EXCEEDED") this.capsHit[tool] = (this.capsHit[tool] ?? 0) + 1;
    }
    if (replayed) {
      figures.replays++;
      this.replays++;
    }
    const second = Math.max(0, Math.floor(this.elapsedMs() / 1000));
    while (this.#perSecond.length <= second) this.#perSecond.push(0);
    this.#perSecond[second] = (this.#perSecond[second] ?? 0) + 1;
  }

  /** A retry about to be made after an error with `code`. */
  recordRetry(code: string): void {
    this.retries++;
    this.faultOutcomes.retried++;
    this.retriesByCode[code] = (this.retriesByCode[code] ?? 0) + 1;
  }

  /** Bumps one of the fault outcomes other than `retried`. */
  recordFaultOutcome(kind: Exclude<keyof FaultOutcomes, "retried">): void {
    this.faultOutcomes[kind]++;
  }

  /** An account finished. */
  recordAccount(status: AccountStatus): void {
    this.accounts[status]++;
  }

  /** Accounts finished so far. */
  accountsDone(): number {
    return this.accounts.completed + this.accounts.skipped + this.accounts.deferred;
  }

  /** Per-tool figures, sorted by server then tool. */
  toolFigures(): ToolFigures[] {
    return [...this.#tools.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, f]) => {
        const latencies = this.#latencies.get(key) ?? [];
        return { ...f, calls: latencies.length, ...latencySummary(latencies) };
      });
  }

  /** Calls answered in each second since the start. */
  throughput(): Array<{ second: number; calls: number }> {
    return this.#perSecond.map((calls, second) => ({ second, calls }));
  }

  /** The figures the live view shows. */
  snapshot(): LiveSnapshot {
    const elapsedMs = this.elapsedMs();
    const current = Math.floor(elapsedMs / 1000);
    const from = Math.max(0, current - RATE_WINDOW_S);
    const recent = this.#perSecond.slice(from, current).reduce((a, b) => a + b, 0);
    const span = current - from;
    return {
      accountsDone: this.accountsDone(),
      accountsTotal: this.accountsTotal,
      calls: this.calls,
      callsPerSecond: span > 0 ? recent / span : 0,
      retries: this.retries,
      replays: this.replays,
      errorsByCode: { ...this.errorsByCode },
      faultsSeen: this.faultsSeen,
      elapsedMs,
    };
  }
}
