import type { BookRunReport } from "./report.js";

const ms = (v: number | null) => (v === null ? "-" : `${Math.round(v)}`);
const pairs = (r: Record<string, number>) =>
  Object.keys(r).length === 0
    ? "none"
    : Object.entries(r)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, v]) => `${k} ${v}`)
        .join(", ");

/** The report as the lines printed at the end of a run. */
export function textReport(report: BookRunReport): string {
  const { run, accounts } = report;
  const lines = [
    `Book run ${run.runDate} (seed ${run.seed}${run.chaos ? ", chaos" : ""}, ${run.workers} workers, ${run.store} store)`,
    `  wall time        ${(run.wallTimeMs / 1000).toFixed(1)} s`,
    `  accounts         ${accounts.total}: ${pairs(accounts.byStatus)}`,
    `  assessments      ${pairs(accounts.assessments)}`,
    `  drafts           ${pairs(accounts.draftReasons)}`,
    `  signals          ${pairs(accounts.signals)}`,
    `  notes            written ${accounts.notes.written}, replayed ${accounts.notes.replayed}, reconciled ${accounts.notes.reconciled}, uncertain ${accounts.notes.uncertain}`,
    `  outreach drafts  written ${accounts.drafts.written}, replayed ${accounts.drafts.replayed}, reconciled ${accounts.drafts.reconciled}, uncertain ${accounts.drafts.uncertain}`,
    ...(accounts.sends !== undefined
      ? [
          `  sends            (sandbox only: EMAIL_SEND_MODE=on, one recipient in five) written ${accounts.sends.written}, replayed ${accounts.sends.replayed}, reconciled ${accounts.sends.reconciled}, uncertain ${accounts.sends.uncertain}`,
        ]
      : []),
    `  retries          ${report.retries.total} (${pairs(report.retries.byCode)})`,
    `  replays          ${report.replays}`,
    `  errors by code   ${pairs(report.errorsByCode)}`,
    `  caps hit         ${pairs(report.capsHit)}`,
    `  faults injected  ${pairs(report.faults.injected)}`,
    `  faults became    ${pairs({ ...report.faults.outcomes })}`,
    ...emulatorLines(report),
    `  server kills     ${killsLine(report.restarts)}`,
    "",
    `  ${"tool".padEnd(34)}${"calls".padStart(8)}${"errors".padStart(8)}${"replays".padStart(9)}${"p50 ms".padStart(9)}${"p95 ms".padStart(9)}${"p99 ms".padStart(9)}`,
    ...report.tools.map(
      (t) =>
        `  ${`${t.server}/${t.tool}`.padEnd(34)}${String(t.calls).padStart(8)}${String(t.errors).padStart(8)}${String(t.replays).padStart(9)}${ms(t.p50).padStart(9)}${ms(t.p95).padStart(9)}${ms(t.p99).padStart(9)}`,
    ),
  ];
  if (report.secondRun !== undefined) {
    const s = report.secondRun;
    lines.push(
      "",
      `  second run       ${(s.wallTimeMs / 1000).toFixed(1)} s, ${s.calls} calls, ${s.writesAttempted} writes attempted, ${s.writesReplayed} replayed${s.replaysByTool ? ` (${pairs(s.replaysByTool)})` : ""}, ${s.writesRefused} refused, ${s.newWrites} new`,
    );
  }
  lines.push("", `Exactly-once check: ${report.check.passed ? "PASSED" : "FAILED"}`);
  for (const item of report.check.items)
    lines.push(`  ${item.passed ? "ok  " : "FAIL"} ${item.name}: ${item.detail}`);
  return `${lines.join("\n")}\n`;
}

/** Kills, how many landed on a write in flight and how many cut its answer, then each. */
function killsLine(kills: BookRunReport["restarts"]): string {
  if (kills.length === 0) return "none";
  const during = kills.filter((k) => k.during);
  const cut = kills.filter((k) => k.cut);
  const each = kills
    .map(
      (k) =>
        `${k.server}@${(k.atMs / 1000).toFixed(1)}s${k.during ? ` during ${k.during}${k.cut ? " (cut)" : ""}` : ""}`,
    )
    .join(", ");
  return `${kills.length}, ${during.length} with a write in flight, ${cut.length} cutting its answer: ${each}`;
}

/** What the emulators were set to, what they served, and the CPU the run took. */
function emulatorLines(report: BookRunReport): string[] {
  const lines: string[] = [];
  const e = report.emulators;
  if (e !== undefined) {
    const latency = e.latencyMs > 0 ? `${e.latencyMs} ms fixed latency` : "no added latency";
    const limits = {
      none: "no rate limits",
      published: "published rate limits",
      scaled: "scaled rate limits",
    }[e.limits];
    const perVendor = (ops: Record<string, number>) => Object.values(ops).reduce((a, b) => a + b, 0);
    const served =
      e.requests === undefined
        ? ""
        : `; ${e.requests.total} vendor requests (${pairs(
            Object.fromEntries(Object.entries(e.requests.byVendor).map(([v, ops]) => [v, perVendor(ops)])),
          )})`;
    lines.push(`  emulators        ${latency}, ${limits}${served}`);
  }
  const c = report.cpu;
  if (c !== undefined) {
    const servers = Object.entries(c.serversMs)
      .map(([name, v]) => `${name} ${v === null ? "-" : `${(v / 1000).toFixed(1)} s`}`)
      .join(", ");
    lines.push(
      `  cpu              this process ${(c.bookRunMs / 1000).toFixed(1)} s${c.emulatorsMs !== undefined ? `; emulators ${c.emulatorsMs === null ? "-" : `${(c.emulatorsMs / 1000).toFixed(1)} s`}` : ""}${servers ? `; servers ${servers}` : ""}`,
    );
  }
  return lines;
}
