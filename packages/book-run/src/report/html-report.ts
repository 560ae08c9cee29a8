import type { BookRunReport } from "./report.js";
import { type Bar, barChart, escapeHtml } from "./svg-charts.js";

const PERCENTILE_SERIES = [
  { name: "p50", color: "#4e79a7" },
  { name: "p95", color: "#f28e2b" },
  { name: "p99", color: "#e15759" },
];

/**
 * The report as one self-contained HTML page: no script, stylesheet, font or image is fetched
 * (the charts are inline SVG), so it opens from a CI artefact or an e-mail attachment. Charts:
 * latency per tool (p50/p95/p99), throughput over time (calls per second), errors by code,
 * and faults injected by kind beside what they became.
 */
export function htmlReport(report: BookRunReport): string {
  const latency: Bar[] = report.tools.flatMap((t) =>
    (["p50", "p95", "p99"] as const).flatMap((p) => {
      const value = t[p];
      return value === null ? [] : [{ label: `${t.server}/${t.tool}`, series: p, value }];
    }),
  );
  const throughput: Bar[] = report.throughput.map((t) => ({
    label: `${t.second}s`,
    series: "calls",
    value: t.calls,
  }));
  const errors: Bar[] = Object.entries(report.errorsByCode).map(([code, n]) => ({
    label: code,
    series: "errors",
    value: n,
  }));
  const faults: Bar[] = [
    ...Object.entries(report.faults.injected).map(([kind, n]) => ({
      label: kind,
      series: "injected",
      value: n,
    })),
    ...Object.entries(report.faults.outcomes).map(([kind, n]) => ({
      label: kind,
      series: "became",
      value: n,
    })),
  ];
  const { run, accounts, check } = report;
  const row = (cells: Array<string | number | null>) =>
    `<tr>${cells.map((c) => `<td>${escapeHtml(c === null ? "-" : String(c))}</td>`).join("")}</tr>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Book run ${escapeHtml(run.runDate)}</title>
<style>
body{font:14px system-ui,sans-serif;margin:2em;max-width:960px;color:#222}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:2px 8px;text-align:right}
td:first-child,th:first-child{text-align:left}.pass{color:#1a7f37}.fail{color:#cf222e;font-weight:bold}
figure{margin:1.5em 0}figcaption{font-weight:bold;margin-bottom:.3em}
</style></head><body>
<h1>Book run ${escapeHtml(run.runDate)}</h1>
<p>Seed ${escapeHtml(run.seed)}${run.chaos ? ", chaos on" : ""}, ${run.workers} workers, ${escapeHtml(run.store)} store,
${accounts.total} accounts in <span data-figure="wall-time-ms" data-value="${run.wallTimeMs}">${(run.wallTimeMs / 1000).toFixed(1)} s</span>.</p>
<h2 class="${check.passed ? "pass" : "fail"}" data-figure="check" data-value="${check.passed}">Exactly-once check: ${check.passed ? "passed" : "FAILED"}</h2>
<table><tr><th>check</th><th>result</th><th>detail</th></tr>
${check.items.map((i) => `<tr><td>${escapeHtml(i.name)}</td><td class="${i.passed ? "pass" : "fail"}">${i.passed ? "ok" : "FAIL"}</td><td>${escapeHtml(i.detail)}</td></tr>`).join("\n")}
</table>
<h2>Accounts</h2>
<table><tr><th>figure</th><th>value</th></tr>
${Object.entries(accounts.byStatus)
  .map(([k, v]) => row([k, v]))
  .join("")}
${row(["notes written / replayed / reconciled", `${accounts.notes.written} / ${accounts.notes.replayed} / ${accounts.notes.reconciled}`])}
${row(["drafts written / replayed / reconciled", `${accounts.drafts.written} / ${accounts.drafts.replayed} / ${accounts.drafts.reconciled}`])}
${row(["retries", report.retries.total])}${row(["replays", report.replays])}
${row([
  "caps hit",
  Object.entries(report.capsHit)
    .map(([k, v]) => `${k} ${v}`)
    .join(", ") || "none",
])}
${row(["server kills", report.restarts.length])}
${row(["kills with a write in flight", report.restarts.filter((k) => k.during).length])}
</table>
<h2>Tools</h2>
<table><tr><th>tool</th><th>calls</th><th>errors</th><th>replays</th><th>p50 ms</th><th>p95 ms</th><th>p99 ms</th></tr>
${report.tools.map((t) => row([`${t.server}/${t.tool}`, t.calls, t.errors, t.replays, t.p50, t.p95, t.p99])).join("\n")}
</table>
${barChart(latency, { id: "latency", title: "Latency per tool", unit: "ms", series: PERCENTILE_SERIES })}
${barChart(throughput, { id: "throughput", title: "Throughput over time (calls answered per second)", unit: "calls/s", series: [{ name: "calls", color: "#59a14f" }], sparseLabels: true })}
${barChart(errors, { id: "errors", title: "Errors by code (every attempt)", unit: "errors", series: [{ name: "errors", color: "#e15759" }] })}
${barChart(faults, {
  id: "faults",
  title: "Faults injected by kind, and what they became",
  unit: "",
  series: [
    { name: "injected", color: "#b07aa1" },
    { name: "became", color: "#76b7b2" },
  ],
})}
</body></html>
`;
}
