import { DomUtils, parseDocument } from "htmlparser2";
import { describe, expect, it } from "vitest";
import { htmlReport } from "../../src/report/html-report.js";
import { textReport } from "../../src/report/text-report.js";
import { sampleReport } from "./report-fixture.js";

type El = ReturnType<typeof DomUtils.findAll>[number];

function charts(html: string) {
  const doc = parseDocument(html);
  const svgs = DomUtils.findAll((e) => e.name === "svg", doc.children);
  const byId = new Map<string, El>();
  for (const svg of svgs) byId.set(svg.attribs["data-chart"] ?? "", svg);
  return { doc, byId };
}

function bars(svg: El) {
  return DomUtils.findAll(
    (e) => e.name === "rect" && e.attribs["data-value"] !== undefined,
    svg.children,
  ).map((r) => ({
    label: r.attribs["data-label"],
    series: r.attribs["data-series"],
    value: Number(r.attribs["data-value"]),
    height: Number(r.attribs.height),
  }));
}

describe("htmlReport", () => {
  const report = sampleReport();
  const html = htmlReport(report);
  const { doc, byId } = charts(html);

  it("is self-contained: no script, no external stylesheet, font, image or link", () => {
    expect(
      DomUtils.findAll((e) => ["script", "link", "img", "iframe"].includes(e.name), doc.children),
    ).toEqual([]);
    expect(html).not.toMatch(/https?:|url\(|@import|@font-face/);
  });

  it("draws each tool's p50/p95/p99 as in the JSON report, heights proportional", () => {
    const latency = bars(byId.get("latency") as El);
    const expected = report.tools.flatMap((t) =>
      (["p50", "p95", "p99"] as const).map((p) => ({
        label: `${t.server}/${t.tool}`,
        series: p,
        value: t[p],
      })),
    );
    expect(latency.map(({ label, series, value }) => ({ label, series, value }))).toEqual(expected);
    const svg = byId.get("latency") as El;
    const max = Number(svg.attribs["data-max"]);
    const plot = Number(svg.attribs["data-plot-height"]);
    expect(max).toBe(Math.max(...report.tools.map((t) => t.p99 ?? 0)));
    for (const bar of latency) expect(bar.height).toBeCloseTo((bar.value / max) * plot, 1);
  });

  it("draws throughput per second as in the JSON report", () => {
    const t = bars(byId.get("throughput") as El);
    expect(t.map((b) => b.value)).toEqual(report.throughput.map((x) => x.calls));
    expect(t.reduce((a, b) => a + b.value, 0)).toBe(report.tools.reduce((a, x) => a + x.calls, 0));
  });

  it("draws errors by code, and faults injected and what they became, as in the JSON report", () => {
    const errors = Object.fromEntries(bars(byId.get("errors") as El).map((b) => [b.label, b.value]));
    expect(errors).toEqual(report.errorsByCode);
    const faults = bars(byId.get("faults") as El);
    const injected = Object.fromEntries(
      faults.filter((b) => b.series === "injected").map((b) => [b.label, b.value]),
    );
    const became = Object.fromEntries(
      faults.filter((b) => b.series === "became").map((b) => [b.label, b.value]),
    );
    expect(injected).toEqual(report.faults.injected);
    expect(became).toEqual(report.faults.outcomes);
  });

  it("escapes what it shows and states the check's verdict", () => {
    expect(html).not.toContain("<b>odd</b>");
    const verdict = DomUtils.findOne((e) => e.attribs["data-figure"] === "check", doc.children);
    expect(verdict?.attribs["data-value"]).toBe("true");
    expect(DomUtils.textContent(verdict as El)).toContain("passed");
  });
});

describe("textReport", () => {
  it("prints every section and the verdict", () => {
    const text = textReport(sampleReport());
    for (const part of [
      "wall time",
      "retries          1",
      "RATE_LIMITED 1",
      "caps hit         none",
      "crm/log_activity_note",
      "faults injected",
      "crm@1.2s",
      "Exactly-once check: PASSED",
    ])
      expect(text).toContain(part);
  });
});
