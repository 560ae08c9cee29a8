import { DEFAULT_RETRY_LIMITS, draftOwners, type RetryLimits } from "../policy/index.js";
import type { RunStats } from "../stats/run-stats.js";
import { type AccountResult, runAccount } from "./account-workflow.js";
import type { BookEntry } from "./book-entry.js";
import type { CallOutcome, ToolCaller } from "./call-outcome.js";
import type { SchedulerClock } from "./retry-scheduler.js";
import { RunTally } from "./run-tally.js";

/** Options of {@link runBook}. */
export interface RunBookOptions {
  book: readonly BookEntry[];
  caller: ToolCaller;
  stats: RunStats;
  clock: SchedulerClock;
  /** Milliseconds now, for call latencies. */
  now: () => number;
  runDate: string;
  workers: number;
  limits?: RetryLimits;
  /** Whether to send the draft written to a recipient (see {@link WorkflowContext.sends}). */
  sends?: (recipient: string) => boolean;
  /** Called as each account finishes (chaos schedules restarts from it). */
  onAccount?: (result: AccountResult, done: number) => void;
}

/** What a book run did. */
export interface BookOutcome {
  tally: RunTally;
  results: AccountResult[];
}

/**
 * Runs the workflow over every account of the book with `workers` accounts in flight at once
 * (each worker takes the next account when it finishes one). Every call is timed into `stats`.
 */
export async function runBook(options: RunBookOptions): Promise<BookOutcome> {
  const tally = new RunTally();
  const caller = timedCaller(options.caller, options.stats, options.now);
  const ctx = {
    caller,
    clock: options.clock,
    limits: options.limits ?? DEFAULT_RETRY_LIMITS,
    stats: options.stats,
    tally,
    runDate: options.runDate,
    owners: draftOwners(options.book),
    ...(options.sends ? { sends: options.sends } : {}),
  };
  const results: AccountResult[] = [];
  let next = 0;
  const worker = async () => {
    while (next < options.book.length) {
      const entry = options.book[next++] as BookEntry;
      const result = await runAccount(entry, ctx);
      results.push(result);
      options.onAccount?.(result, results.length);
    }
  };
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(options.workers, options.book.length)) }, worker),
  );
  return { tally, results };
}

/** `caller` with each call's latency, outcome and replay recorded in `stats`. */
export function timedCaller(caller: ToolCaller, stats: RunStats, now: () => number): ToolCaller {
  return {
    async call(server, tool, args): Promise<CallOutcome> {
      const started = now();
      const outcome = await caller.call(server, tool, args);
      stats.recordCall(
        server,
        tool,
        now() - started,
        outcome.ok ? null : outcome.error.code,
        outcome.ok ? outcome.replayed : outcome.error.replayed === true,
      );
      return outcome;
    },
  };
}
