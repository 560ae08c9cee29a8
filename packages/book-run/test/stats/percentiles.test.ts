import { describe, expect, it } from "vitest";
import { latencySummary, percentile } from "../../src/stats/percentiles.js";
import { RunStats } from "../../src/stats/run-stats.js";

describe("percentile (nearest rank)", () => {
  it("matches hand-computed ranks", () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i); // 1..100 shuffled order
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 95)).toBe(95);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile(values, 100)).toBe(100);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([3, 1, 2], 50)).toBe(2);
    expect(percentile([], 50)).toBeNull();
    expect(() => percentile([1], 0)).toThrow(RangeError);
  });

  it("summarises p50/p95/p99", () => {
    expect(latencySummary([10, 20, 30, 40])).toEqual({ p50: 20, p95: 40, p99: 40 });
  });
});

describe("RunStats", () => {
  it("counts calls, errors, replays, retries, caps and throughput per second", () => {
    let t = 1_000;
    const stats = new RunStats(10, () => t);
    stats.recordCall("crm", "get_account", 12, null, false);
    t += 1_500;
    stats.recordCall("crm", "log_activity_note", 30, "RATE_LIMITED", false);
    stats.recordRetry("RATE_LIMITED");
    stats.recordCall("crm", "log_activity_note", 20, null, true);
    stats.recordCall("email", "create_outreach_draft", 5, "CAP_EXCEEDED", false);
    stats.recordAccount("completed");
    stats.recordAccount("deferred");
    expect(stats.calls).toBe(4);
    expect(stats.replays).toBe(1);
    expect(stats.retries).toBe(1);
    expect(stats.errorsByCode).toEqual({ RATE_LIMITED: 1, CAP_EXCEEDED: 1 });
    expect(stats.capsHit).toEqual({ create_outreach_draft: 1 });
    expect(stats.faultsSeen).toBe(1);
    expect(stats.throughput()).toEqual([
      { second: 0, calls: 1 },
      { second: 1, calls: 3 },
    ]);
    const note = stats.toolFigures().find((f) => f.tool === "log_activity_note");
    expect(note).toMatchObject({ calls: 2, ok: 1, errors: 1, replays: 1, p50: 20, p99: 30 });
    expect(stats.accountsDone()).toBe(2);
    t += 1_000;
    expect(stats.snapshot()).toMatchObject({
      accountsDone: 2,
      accountsTotal: 10,
      calls: 4,
      elapsedMs: 2_500,
      callsPerSecond: 2,
    });
  });
});
