import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { plainLine, startLiveView, topErrors } from "../../src/live/live-view.js";
import type { LiveSnapshot } from "../../src/stats/run-stats.js";

const snap = (done: number): LiveSnapshot => ({
  accountsDone: done,
  accountsTotal: 200,
  calls: done * 6,
  callsPerSecond: 42.25,
  retries: 7,
  replays: 3,
  errorsByCode: { RATE_LIMITED: 5, UPSTREAM_UNAVAILABLE: 9, NOT_FOUND: 1, INTERNAL: 0 },
  faultsSeen: 14,
  elapsedMs: 12_400,
});

function capture(isTTY: boolean) {
  const stream = Object.assign(new PassThrough(), { isTTY, columns: 200, rows: 40 });
  let out = "";
  stream.on("data", (d) => {
    out += d;
  });
  return { stream, out: () => out };
}

describe("live view", () => {
  it("prints plain lines when not a terminal, with every figure and no escape codes", () => {
    const { stream, out } = capture(false);
    let done = 50;
    const view = startLiveView({ stream, snapshot: () => snap(done), intervalMs: 3_600_000 });
    view.tick();
    done = 200;
    view.stop();
    const lines = out().trim().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe(
      "book-run 12s: 50/200 accounts (25%), 300 calls, 42.3 calls/s, retries 7, replays 3, faults seen 14, errors UPSTREAM_UNAVAILABLE 9, RATE_LIMITED 5, NOT_FOUND 1",
    );
    expect(lines[1]).toContain("200/200 accounts (100%)");
    expect(out()).not.toContain("\x1b");
  });

  it("draws a progress bar in place on a terminal", () => {
    const { stream, out } = capture(true);
    let done = 20;
    const view = startLiveView({ stream, snapshot: () => snap(done), intervalMs: 3_600_000 });
    done = 120;
    view.tick();
    view.stop();
    const text = out();
    expect(text).toContain("\x1b[?25l"); // cursor hidden while drawing
    expect(text).toContain("120/200 accounts");
    expect(text).toContain("42.3 calls/s");
    expect(text).toContain(
      "retries 7 | replays 3 | faults 14 | UPSTREAM_UNAVAILABLE 9, RATE_LIMITED 5, NOT_FOUND 1",
    );
    expect(text).toContain("\x1b[?25h"); // and shown again
    expect(text).not.toContain("book-run 12s");
  });

  it("names the most frequent errors", () => {
    expect(topErrors({})).toBe("none");
    expect(topErrors({ A: 1, B: 3 }, 1)).toBe("B 3");
    expect(plainLine({ ...snap(0), accountsTotal: 0 })).toContain("0/0 accounts (100%)");
  });
});
