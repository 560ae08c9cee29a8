import type { CheckResult } from "../check/exactly-once.js";
import type { EmulatorRequestCounts } from "../demo/ports.js";
import type { WriteCounts } from "../run/run-tally.js";
import type { AccountStatus, FaultOutcomes, RunStats, ToolFigures } from "../stats/run-stats.js";

/** The report of one book run: what `--report-json` writes and the HTML page draws. */
export interface BookRunReport {
  version: 1;
  run: {
    runDate: string;
    seed: string;
    chaos: boolean;
    workers: number;
    store: string;
    wallTimeMs: number;
  };
  accounts: {
    total: number;
    byStatus: Record<AccountStatus, number>;
    assessments: Record<string, number>;
    draftReasons: Record<string, number>;
    signals: Record<string, number>;
    notes: WriteCounts;
    drafts: WriteCounts;
    /** Drafts sent (the sandbox run's `EMAIL_SEND_MODE=on`, one recipient in five); absent in older reports. */
    sends?: WriteCounts;
  };
  tools: ToolFigures[];
  retries: { total: number; byCode: Record<string, number> };
  replays: number;
  errorsByCode: Record<string, number>;
  capsHit: Record<string, number>;
  faults: { injected: Record<string, number>; outcomes: FaultOutcomes };
  /**
   * Server kills (each restarted): when, and the write tool whose call was outstanding when
   * the SIGKILL went (`during`; null: between calls) and whether the kill cut its answer.
   */
  restarts: Array<{ server: string; atMs: number; during?: string | null; cut?: boolean }>;
  throughput: Array<{ second: number; calls: number }>;
  check: CheckResult;
  /** The emulators' settings, and the vendor requests they served in the (first) run. */
  emulators?: EmulatorFigures;
  /** CPU time of the (first) run. */
  cpu?: CpuFigures;
  /** The same book run again (chaos): it must write nothing. */
  secondRun?: {
    wallTimeMs: number;
    calls: number;
    writesAttempted: number;
    writesReplayed: number;
    /** Replays per write tool: each must be as many as the first run's writes of that tool. */
    replaysByTool?: Record<string, number>;
    /** Refused terminally (e.g. a suppressed recipient): nothing written, as in the first run. */
    writesRefused: number;
    newWrites: number;
  };
}

/** The emulators' settings and the vendor requests of the run. */
export interface EmulatorFigures {
  /** The fixed latency added to every vendor request (0: none). */
  latencyMs: number;
  limits: "none" | "published" | "scaled";
  /** Absent when the emulators could not be asked. */
  requests?: EmulatorRequestCounts;
}

/** CPU time (user + system, ms) spent during the run, from its start to its last account. */
export interface CpuFigures {
  /** This process: the book run's four MCP clients (and the emulators, when they run in it). */
  bookRunMs: number;
  /** The emulators' own process, when they run in one (Linux `/proc`; null where unknown). */
  emulatorsMs?: number | null;
  /** Each server's process (Linux `/proc`); null where unknown or when a server was restarted mid-run. */
  serversMs: Record<string, number | null>;
}

/** Facts gathered outside the stats collector. */
export interface ReportFacts {
  runDate: string;
  seed: string;
  chaos: boolean;
  workers: number;
  store: string;
  assessments: Record<string, number>;
  draftReasons: Record<string, number>;
  signals: Record<string, number>;
  notes: BookRunReport["accounts"]["notes"];
  drafts: BookRunReport["accounts"]["drafts"];
  sends?: WriteCounts;
  faultsInjected: Record<string, number>;
  restarts: BookRunReport["restarts"];
  check: CheckResult;
  secondRun?: BookRunReport["secondRun"];
  emulators?: EmulatorFigures;
  cpu?: CpuFigures;
  /** The run's wall time when it ended before the report is built (default: the collector's age). */
  wallTimeMs?: number;
}

/** Assembles the report from the collector and the run's other facts. */
export function buildReport(stats: RunStats, facts: ReportFacts): BookRunReport {
  const report: BookRunReport = {
    version: 1,
    run: {
      runDate: facts.runDate,
      seed: facts.seed,
      chaos: facts.chaos,
      workers: facts.workers,
      store: facts.store,
      wallTimeMs: facts.wallTimeMs ?? stats.elapsedMs(),
    },
    accounts: {
      total: stats.accountsTotal,
      byStatus: { ...stats.accounts },
      assessments: facts.assessments,
      draftReasons: facts.draftReasons,
      signals: facts.signals,
      notes: facts.notes,
      drafts: facts.drafts,
      ...(facts.sends !== undefined ? { sends: facts.sends } : {}),
    },
    tools: stats.toolFigures(),
    retries: { total: stats.retries, byCode: { ...stats.retriesByCode } },
    replays: stats.replays,
    errorsByCode: { ...stats.errorsByCode },
    capsHit: { ...stats.capsHit },
    faults: { injected: facts.faultsInjected, outcomes: { ...stats.faultOutcomes } },
    restarts: facts.restarts,
    throughput: stats.throughput(),
    check: facts.check,
  };
  if (facts.emulators !== undefined) report.emulators = facts.emulators;
  if (facts.cpu !== undefined) report.cpu = facts.cpu;
  if (facts.secondRun !== undefined) report.secondRun = facts.secondRun;
  return report;
}
