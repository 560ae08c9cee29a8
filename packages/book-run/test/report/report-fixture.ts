import { buildReport } from "../../src/report/report.js";
import { RunStats } from "../../src/stats/run-stats.js";

/** A report with figures in every section, built through the real collector. */
export function sampleReport() {
  let t = 0;
  const stats = new RunStats(3, () => t);
  const calls: Array<[string, string, number, string | null, boolean]> = [
    ["crm", "get_account", 12, null, false],
    ["crm", "get_account", 18, null, false],
    ["enrichment", "get_account_signals", 40, "UPSTREAM_UNAVAILABLE", false],
    ["crm", "log_activity_note", 55, "RATE_LIMITED", false],
    ["crm", "log_activity_note", 35, null, true],
    ["email", "create_outreach_draft", 80, null, false],
  ];
  for (const [server, tool, ms, code, replayed] of calls) {
    stats.recordCall(server, tool, ms, code, replayed);
    t += 700;
  }
  stats.recordRetry("RATE_LIMITED");
  stats.recordFaultOutcome("tolerated");
  stats.recordAccount("completed");
  stats.recordAccount("completed");
  stats.recordAccount("skipped");
  return buildReport(stats, {
    runDate: "2026-11-29",
    seed: "42",
    chaos: true,
    workers: 8,
    store: "sqlite",
    assessments: { expansion: 1, healthy: 1 },
    draftReasons: { qualifies: 1, not_a_target: 1 },
    signals: { found: 1, unavailable: 1 },
    notes: { written: 1, replayed: 1, reconciled: 0, uncertain: 0 },
    drafts: { written: 1, replayed: 0, reconciled: 0, uncertain: 0 },
    faultsInjected: { rate_limit: 3, commit_then_drop: 1, "<b>odd</b>": 2 },
    restarts: [{ server: "crm", atMs: 1200 }],
    check: {
      passed: true,
      items: [{ name: "one note per account per occurrence", passed: true, detail: "2 accounts" }],
    },
  });
}
