// Timing helpers: every figure is measured side by side in one run, as the median of rounds,
// with the spread (min–max of the rounds) shown. Nothing here asserts.

/** Nearest-rank percentile of sorted numbers. */
export function percentile(sorted, p) {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

export function median(values) {
  return percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
}

/**
 * Runs `op(i)` `calls` times per round with `concurrency` in flight, `rounds` times (after one
 * warm-up round), and returns per-round calls/s and latency percentiles (ms), with the medians.
 */
export async function measureCalls(op, { calls, rounds = 5, concurrency = 1 }) {
  const results = [];
  let offset = 0;
  for (let round = -1; round < rounds; round++) {
    const latencies = [];
    let next = 0;
    const started = performance.now();
    const worker = async () => {
      while (next < calls) {
        const i = offset + next++;
        const t0 = performance.now();
        await op(i);
        latencies.push(performance.now() - t0);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    const seconds = (performance.now() - started) / 1000;
    offset += calls;
    if (round < 0) continue;
    latencies.sort((a, b) => a - b);
    results.push({ perSec: calls / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99) });
  }
  const pick = (key) => results.map((r) => r[key]);
  return {
    perSec: median(pick("perSec")),
    p50: median(pick("p50")),
    p99: median(pick("p99")),
    spread: { perSec: [Math.min(...pick("perSec")), Math.max(...pick("perSec"))] },
    rounds: results.length,
  };
}

/** A fixed-width table row. */
export function row(cells, widths) {
  return cells
    .map((c, i) => String(c).padEnd(widths[i] ?? 12))
    .join(" ")
    .trimEnd();
}

export const fmt = {
  rate: (n) => `${n.toFixed(0)}/s`,
  ms: (n) => `${n.toFixed(3)} ms`,
  ratio: (n) => `${n.toFixed(2)}×`,
  spread: ([a, b]) => `${a.toFixed(0)}–${b.toFixed(0)}/s`,
};
