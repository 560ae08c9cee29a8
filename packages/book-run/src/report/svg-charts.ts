/** Escapes text for HTML and SVG content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** One bar: its label, the series it belongs to, and its value. */
export interface Bar {
  label: string;
  series: string;
  value: number;
}

/** Options of {@link barChart}. */
export interface BarChartOptions {
  /** The chart's name, carried as `data-chart` so a reader (or a test) can find it. */
  id: string;
  title: string;
  unit: string;
  width?: number;
  height?: number;
  /** Series in drawing order and their colours. */
  series: Array<{ name: string; color: string }>;
  /** Hide the x labels (a long time axis). */
  sparseLabels?: boolean;
}

const AXIS = 40;
const round = (n: number) => Math.round(n * 100) / 100;

/**
 * A vertical bar chart as inline SVG: bars of one label side by side, one colour per series,
 * the tallest bar filling the plot. Each `<rect>` carries `data-label`, `data-series` and
 * `data-value` (the exact figure) and a `<title>` for hovering.
 */
export function barChart(bars: Bar[], options: BarChartOptions): string {
  const width = options.width ?? 720;
  const height = options.height ?? 260;
  const plotH = height - AXIS - 20;
  const plotW = width - AXIS - 10;
  const labels = [...new Set(bars.map((b) => b.label))];
  const max = Math.max(0, ...bars.map((b) => b.value));
  const group = labels.length === 0 ? plotW : plotW / labels.length;
  const perBar = (group * 0.8) / Math.max(1, options.series.length);
  const parts: string[] = [];
  labels.forEach((label, i) => {
    options.series.forEach((s, j) => {
      const bar = bars.find((b) => b.label === label && b.series === s.name);
      if (bar === undefined) return;
      const h = max > 0 ? (bar.value / max) * plotH : 0;
      const x = AXIS + i * group + group * 0.1 + j * perBar;
      const y = 20 + plotH - h;
      parts.push(
        `<rect x="${round(x)}" y="${round(y)}" width="${round(Math.max(perBar - 1, 0.5))}" height="${round(h)}" fill="${s.color}" ` +
          `data-label="${escapeHtml(label)}" data-series="${escapeHtml(s.name)}" data-value="${bar.value}">` +
          `<title>${escapeHtml(`${label} ${s.name}: ${bar.value} ${options.unit}`)}</title></rect>`,
      );
    });
    const every = options.sparseLabels ? Math.max(1, Math.ceil(labels.length / 12)) : 1;
    if (i % every === 0) {
      const cx = AXIS + i * group + group / 2;
      parts.push(
        `<text x="${round(cx)}" y="${height - AXIS + 14}" font-size="10" text-anchor="middle">${escapeHtml(label)}</text>`,
      );
    }
  });
  const legend = options.series
    .map(
      (s, i) =>
        `<rect x="${AXIS + i * 90}" y="4" width="10" height="10" fill="${s.color}"/><text x="${AXIS + i * 90 + 14}" y="13" font-size="11">${escapeHtml(s.name)}</text>`,
    )
    .join("");
  return [
    `<figure><figcaption>${escapeHtml(options.title)}</figcaption>`,
    `<svg role="img" data-chart="${escapeHtml(options.id)}" data-max="${max}" data-plot-height="${plotH}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<line x1="${AXIS}" y1="${20 + plotH}" x2="${width - 10}" y2="${20 + plotH}" stroke="#888"/>`,
    `<text x="4" y="28" font-size="10">${escapeHtml(`${max} ${options.unit}`)}</text>`,
    legend,
    ...parts,
    bars.length === 0 ? `<text x="${AXIS + 10}" y="${height / 2}" font-size="12">none</text>` : "",
    "</svg></figure>",
  ].join("");
}
