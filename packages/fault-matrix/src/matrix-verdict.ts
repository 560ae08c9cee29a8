import type { CellRun } from "./fault-points.js";
import { type Attempt, settles } from "./settle-call.js";

/** Runs of the same answer, shortened: `IN_PROGRESS/none/retryable ×98, ok`. */
export function summarise(answers: readonly string[]): string {
  const runs: Array<[string, number]> = [];
  for (const answer of answers) {
    const last = runs.at(-1);
    if (last && last[0] === answer) last[1] += 1;
    else runs.push([answer, 1]);
  }
  return runs.map(([answer, n]) => (n > 1 ? `${answer} ×${n}` : answer)).join(", ");
}

/** One cell's verdict, as the table and the JSON file show it. */
export interface CellVerdict {
  tool: string;
  fault: string;
  store: string;
  pass: boolean;
  /** What the issue demands of this cell. */
  expected: string;
  /** What happened: effects at the vendor, how the call settled, answers that were missing. */
  got: string;
  effects: number;
  attempts: number;
  /** The answers in order, runs shortened: `ok`, `ok(replayed)`, `CODE/sideEffect[/retryable]`, `none(why)`. */
  answers: string;
}

const show = (a: Attempt): string =>
  a.answer === "ok"
    ? a.replayed
      ? "ok(replayed)"
      : "ok"
    : a.answer === "error"
      ? `${a.code}/${a.sideEffect}${a.retryable ? "/retryable" : ""}`
      : `none(${a.lost})`;

/**
 * Judges a cell: the call settled (a result, or a terminal error); every call was answered
 * (but the one the cell killed on purpose); a write acted exactly once at the vendor (zero
 * after a terminal error that says nothing happened); a paid lookup was charged at most once
 * plus once per attempt whose answer said a credit may have been spent (or never came).
 */
export function judgeCell(cell: CellRun, effects: number, fault: string, store: string): CellVerdict {
  const attempts = cell.attempts;
  const final = attempts.at(-1);
  const problems: string[] = [];
  const unanswered = attempts.filter((a) => a.answer === "none" && !a.lost?.startsWith("the cell killed"));
  if (unanswered.length > 0) problems.push(`${unanswered.length} call(s) got no answer`);
  if (!final || !settles(final)) problems.push(`did not settle in ${attempts.length} attempts`);
  let expected: string;
  let effectsOk: boolean;
  if (cell.expectEffects !== undefined) {
    expected = `${cell.expectEffects} effect(s), settled, every call answered`;
    effectsOk = effects === cell.expectEffects;
  } else if (cell.spec.credit) {
    const lost = attempts.filter(
      (a) => a.answer === "none" || (a.answer === "error" && a.sideEffect !== "none"),
    ).length;
    const least = final?.answer === "ok" ? 1 : 0;
    expected = `${least}..${1 + lost} credit(s) (${lost} answer(s) said a credit may be spent), settled, every call answered`;
    effectsOk = effects >= least && effects <= 1 + lost;
  } else {
    const none = final?.answer === "error" && final.sideEffect === "none";
    const want = none ? 0 : 1;
    expected = `${want} effect(s)${none ? " (terminal error, side effect none)" : ""}, settled, every call answered`;
    effectsOk = effects === want;
  }
  if (!effectsOk) problems.push(`${effects} effect(s) at the vendor`);
  const shown = attempts.map(show);
  return {
    tool: cell.spec.tool,
    fault,
    store,
    pass: problems.length === 0,
    expected,
    got: problems.length === 0 ? `${effects} effect(s), settled: ${shown.at(-1)}` : problems.join("; "),
    effects,
    attempts: attempts.length,
    answers: summarise(shown),
  };
}

/** The matrix as a Markdown table: a row per tool, a column per fault point, a store per cell line. */
export function matrixTable(
  verdicts: readonly CellVerdict[],
  faults: ReadonlyArray<{ id: string; title: string }>,
): string {
  const tools = [...new Set(verdicts.map((v) => v.tool))];
  const stores = [...new Set(verdicts.map((v) => v.store))].sort();
  const header = `| tool | ${faults.map((f) => f.title).join(" | ")} |`;
  const rule = `| --- | ${faults.map(() => "---").join(" | ")} |`;
  const rows = tools.map((tool) => {
    const cells = faults.map((f) => {
      const here = stores
        .map((store) => verdicts.find((v) => v.tool === tool && v.fault === f.id && v.store === store))
        .filter((v): v is CellVerdict => v !== undefined);
      if (here.length === 0) return "—";
      return here.map((v) => `${v.store} ${v.pass ? "✅" : "❌"} ${v.effects}`).join("<br>");
    });
    return `| \`${tool}\` | ${cells.join(" | ")} |`;
  });
  return [header, rule, ...rows].join("\n");
}
