import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { createServerMetrics, type MetricDescription } from "../../src/server/metrics-entry.js";

const deploy = join(dirname(fileURLToPath(import.meta.url)), "../../../../deploy");
// The names and labels come from the registry the servers serve, so the files cannot drift.
const metrics = createServerMetrics({ server: "check", env: "sandbox" });
afterAll(() => metrics.close());
const exported = new Map(metrics.describe().map((m) => [m.name, m]));

/** The exported series a name in a query refers to (a histogram's `_bucket`/`_sum`/`_count` included). */
function seriesOf(name: string): { metric: MetricDescription; labels: string[] } | undefined {
  const direct = exported.get(name);
  if (direct) return { metric: direct, labels: direct.labelNames };
  const base = name.replace(/_(bucket|sum|count)$/, "");
  const histogram = exported.get(base);
  if (histogram?.type !== "histogram" || base === name) return undefined;
  return {
    metric: histogram,
    labels: name.endsWith("_bucket") ? [...histogram.labelNames, "le"] : histogram.labelNames,
  };
}

/** Every problem with the series and labels a PromQL expression names. */
function problems(expr: string): string[] {
  const found: string[] = [];
  const labelsInExpr = new Set<string>();
  const names = [...expr.matchAll(/\b(gtm_[a-z0-9_]+)\s*(\{([^}]*)\})?/g)];
  if (names.length === 0) found.push(`no gtm_ series in: ${expr}`);
  for (const [, name, , matchers] of names) {
    const series = seriesOf(name as string);
    if (!series) {
      found.push(`unknown series ${name}`);
      continue;
    }
    for (const label of series.labels) labelsInExpr.add(label);
    for (const [, label] of (matchers ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*(?:=~|!~|!=|=)\s*"/g)) {
      if (!series.labels.includes(label as string)) found.push(`${name} has no label ${label}`);
    }
  }
  for (const [, list] of expr.matchAll(/\b(?:by|without|on|ignoring)\s*\(([^)]*)\)/g)) {
    for (const label of (list as string)
      .split(",")
      .map((l) => l.trim())
      .filter(Boolean)) {
      if (!labelsInExpr.has(label)) found.push(`no series in the expression has label ${label}`);
    }
  }
  for (const [, name, label] of expr.matchAll(/label_values\((gtm_[a-z0-9_]+)[^,]*,\s*(\w+)\)/g)) {
    if (!seriesOf(name as string)?.labels.includes(label as string))
      found.push(`${name} has no label ${label}`);
  }
  return found;
}

interface Rule {
  alert: string;
  expr: string;
  annotations?: Record<string, string>;
}

describe("committed alert rules and dashboard", () => {
  const rules = (
    parse(readFileSync(join(deploy, "prometheus/alerts.yml"), "utf8")) as { groups: Array<{ rules: Rule[] }> }
  ).groups.flatMap((g) => g.rules);
  const dashboard = JSON.parse(readFileSync(join(deploy, "grafana/gtm-mcp.json"), "utf8")) as {
    panels: Array<{ title: string; targets: Array<{ expr: string }> }>;
    templating: { list: Array<{ query?: string }> };
  };

  it("the check itself flags an unknown series and an unknown label", () => {
    expect(problems('sum by (tool) (rate(gtm_tool_calls_total{tool="x"}[5m]))')).toEqual([]);
    expect(problems("rate(gtm_tool_calls_totl[5m])")).toEqual(["unknown series gtm_tool_calls_totl"]);
    expect(problems('gtm_cap_used{capp="writes"}')).toEqual(["gtm_cap_used has no label capp"]);
    expect(problems("sum by (system) (gtm_cap_used)")).toEqual([
      "no series in the expression has label system",
    ]);
    expect(
      problems(
        "histogram_quantile(0.9, sum by (le) (rate(gtm_store_operation_duration_seconds_bucket[5m])))",
      ),
    ).toEqual([]);
  });

  it("has the alerts the issue asks for", () => {
    expect(rules.map((r) => r.alert)).toEqual(
      expect.arrayContaining([
        "GtmToolRetryRateRising",
        "GtmToolContractViolation",
        "GtmUpstreamBreakerOpen",
        "GtmCredentialExpiringSoon",
        "GtmReviewQueueGrowing",
        "GtmStoreUnreachable",
      ]),
    );
  });

  it("every alert names only exported series and labels, and annotates with labels it keeps", () => {
    for (const rule of rules) {
      expect({ alert: rule.alert, problems: problems(rule.expr) }).toEqual({
        alert: rule.alert,
        problems: [],
      });
      const kept = new Set(
        [...rule.expr.matchAll(/\bby\s*\(([^)]*)\)/g)].flatMap(([, l]) =>
          (l as string).split(",").map((x) => x.trim()),
        ),
      );
      const used = Object.values(rule.annotations ?? {}).flatMap((text) =>
        [...text.matchAll(/\$labels\.(\w+)/g)].map(([, l]) => l as string),
      );
      expect({ alert: rule.alert, missing: used.filter((l) => !kept.has(l)) }).toEqual({
        alert: rule.alert,
        missing: [],
      });
    }
  });

  it("every dashboard query names only exported series and labels", () => {
    const queries = [
      ...dashboard.panels.flatMap((p) => p.targets.map((t) => ({ where: p.title, expr: t.expr }))),
      ...dashboard.templating.list.flatMap((v) =>
        v.query?.includes("gtm_") ? [{ where: "templating", expr: v.query }] : [],
      ),
    ];
    expect(queries.length).toBeGreaterThan(15);
    for (const { where, expr } of queries)
      expect({ where, problems: problems(expr) }).toEqual({ where, problems: [] });
  });
});
