import { renderTable } from "../cli/table.js";
import type { CallFigures, CallReport } from "./call-report.js";

const pct = (rate: number) => `${(rate * 100).toFixed(1)}%`;

function figureCells(f: CallFigures): string[] {
  return [
    String(f.calls),
    pct(f.errorRate),
    pct(f.retryRate),
    pct(f.replayRate),
    String(f.p50Ms),
    String(f.p95Ms),
  ];
}

const FIGURE_HEADERS = ["calls", "errors", "retried", "replayed", "p50 ms", "p95 ms"];

/** The report as aligned plain-text tables, sections separated by a blank line. */
export function renderReport(report: CallReport): string {
  const { total } = report;
  if (total.calls === 0 && report.upstreamDrift.length === 0) return "No tool calls in the log.\n";
  const parts = [
    `${total.calls} calls from ${report.from ?? "-"} to ${report.to ?? "-"}: ` +
      `errors ${pct(total.errorRate)}, retried ${pct(total.retryRate)}, replayed ${pct(total.replayRate)}, ` +
      `p50 ${total.p50Ms} ms, p95 ${total.p95Ms} ms\n`,
    `Per tool\n${renderTable(
      ["tool", ...FIGURE_HEADERS],
      report.tools.map((t) => [t.tool, ...figureCells(t)]),
    )}`,
    `Per hour (UTC)\n${renderTable(
      ["hour", "tool", ...FIGURE_HEADERS],
      report.hours.map((h) => [h.hour, h.tool, ...figureCells(h)]),
    )}`,
  ];
  parts.push(
    report.risingRetries.length === 0
      ? "Retry rate: no tool rose against its earlier hours.\n"
      : `Retry rate rising (last hour against the hours before it)\n${renderTable(
          ["tool", "hour", "retried", "before"],
          report.risingRetries.map((r) => [r.tool, r.hour, pct(r.retryRate), pct(r.baselineRate)]),
        )}`,
  );
  parts.push(
    report.contractViolations.length === 0
      ? "Contract violations: none.\n"
      : `Contract violations (UPSTREAM_CONTRACT_VIOLATION)\n${renderTable(
          ["tool", "calls", "last"],
          report.contractViolations.map((v) => [v.tool, String(v.calls), v.last]),
        )}`,
  );
  if (report.upstreamDrift.length > 0) {
    parts.push(
      `Vendor answers that drifted from their schema\n${renderTable(
        ["system", "operation", "count", "first path (last)", "last"],
        report.upstreamDrift.map((d) => [d.system, d.operation, String(d.count), d.lastPath, d.last]),
      )}`,
    );
  }
  return parts.join("\n");
}
