import { describe, expect, it } from "vitest";
import { faultConfigSchema } from "../../src/faults/fault-config.js";
import { FaultInjector } from "../../src/faults/fault-injector.js";

describe("FaultInjector", () => {
  it("replays the same faults from the same seed", () => {
    const run = () => {
      const f = new FaultInjector("s", () => 0);
      f.set({
        rateLimitRate: 0.3,
        errorBursts: { rate: 0.05, length: 3 },
        latency: { medianMs: 20, p95Ms: 200 },
      });
      return Array.from({ length: 200 }, () => f.decide("op", false));
    };
    expect(run()).toEqual(run());
  });

  it("bursts 5xx for the configured length, then recovers", () => {
    const f = new FaultInjector("s", () => 0);
    f.set({ errorBursts: { rate: 1, length: 3, status: 502 } });
    const first = f.decide("op", false);
    expect(first).toMatchObject({ fail: "server_error", status: 502 });
    f.set({});
    expect(f.decide("op", false).fail).toBeUndefined();
    expect(f.counts.server_error).toBe(1);
  });

  it("ends an outage after outageForMs on the injected clock", () => {
    let t = 0;
    const f = new FaultInjector("s", () => t);
    f.set({ outage: true, outageForMs: 1_000 });
    expect(f.decide("op", false).fail).toBe("outage");
    t = 1_000;
    expect(f.decide("op", false).fail).toBeUndefined();
    expect(f.current()).toEqual({});
  });

  it("drops only writes of the named operations, after the write", () => {
    const f = new FaultInjector("s", () => 0);
    f.set({ commitThenDrop: { rate: 1, operations: ["notes.create"] } });
    expect(f.decide("notes.create", true).dropAfterCommit).toBe(true);
    expect(f.decide("objects.search", false).dropAfterCommit).toBe(false);
    expect(f.decide("contacts.upsert", true).dropAfterCommit).toBe(false);
    expect(f.counts.commit_then_drop).toBe(1);
  });

  it("draws latency around the median", () => {
    const f = new FaultInjector("latency", () => 0);
    f.set({ latency: { medianMs: 50, p95Ms: 150 } });
    const delays = Array.from({ length: 2_000 }, () => f.decide("op", false).delayMs).sort((a, b) => a - b);
    expect(delays[1_000]).toBeGreaterThan(40);
    expect(delays[1_000]).toBeLessThan(60);
    expect(delays[1_900]).toBeGreaterThan(110);
    expect(delays[1_900]).toBeLessThan(200);
  });

  it("adds a fixed latency exactly, every time, without drawing from the seeded source", () => {
    const decide = (latency: boolean) => {
      const f = new FaultInjector("fixed", () => 0);
      f.set({ rateLimitRate: 0.3, ...(latency ? { latency: { fixedMs: 5 } } : {}) });
      const decisions = Array.from({ length: 500 }, () => f.decide("op", false));
      return { decisions, counts: f.counts };
    };
    const fixed = decide(true);
    expect(new Set(fixed.decisions.map((d) => d.delayMs))).toEqual(new Set([5]));
    expect(fixed.counts.latency).toBe(500);
    // The same 429s as without latency: a fixed latency leaves the other faults' draws alone.
    expect(fixed.decisions.map((d) => d.fail)).toEqual(decide(false).decisions.map((d) => d.fail));
  });

  it("gives exactly the median when the p95 equals it (no spread)", () => {
    const f = new FaultInjector("flat", () => 0);
    f.set({ latency: { medianMs: 5, p95Ms: 5 } });
    const delays = new Set(Array.from({ length: 500 }, () => f.decide("op", false).delayMs));
    expect(delays).toEqual(new Set([5]));
  });

  it("adds no latency for fixedMs 0, and refuses a latency mixing both forms", () => {
    const f = new FaultInjector("zero", () => 0);
    f.set({ latency: { fixedMs: 0 } });
    expect(f.decide("op", false).delayMs).toBe(0);
    expect(f.counts.latency).toBe(0);
    expect(faultConfigSchema.safeParse({ latency: { fixedMs: 5, medianMs: 5, p95Ms: 5 } }).success).toBe(
      false,
    );
    expect(faultConfigSchema.safeParse({ latency: { fixedMs: -1 } }).success).toBe(false);
  });
});
