import { describe, expect, it } from "vitest";
import type { CallOutcome } from "../../src/run/call-outcome.js";
import { runStep } from "../../src/run/retry-scheduler.js";

const clock = () => {
  const slept: number[] = [];
  return { slept, sleep: async (ms: number) => void slept.push(ms), random: () => 0 };
};
const fail = (code: string, extra: Record<string, unknown> = {}): CallOutcome => ({
  ok: false,
  error: { code, message: code, ...extra },
});
const ok = (replayed = false): CallOutcome => ({ ok: true, structured: { id: "1" }, replayed });

function sequence(outcomes: CallOutcome[]) {
  const args: unknown[] = [];
  let i = 0;
  return {
    args,
    attempt: async () => {
      args.push({ same: true });
      return outcomes[Math.min(i++, outcomes.length - 1)] as CallOutcome;
    },
  };
}

describe("runStep", () => {
  it("retries after the server's retryAfterMs, then succeeds", async () => {
    const c = clock();
    const s = sequence([
      fail("RATE_LIMITED", { retryAfterMs: 700 }),
      fail("RATE_LIMITED", { retryAfterMs: 300 }),
      ok(),
    ]);
    const codes: string[] = [];
    const r = await runStep("note", s.attempt, c, undefined, (code) => codes.push(code));
    expect(r.outcome.ok).toBe(true);
    expect(r.attempts).toBe(3);
    expect(c.slept).toEqual([700, 300]);
    expect(codes).toEqual(["RATE_LIMITED", "RATE_LIMITED"]);
    expect(r.reconciled).toBe(false);
  });

  it("stops at the attempt bound and says defer", async () => {
    const c = clock();
    const s = sequence([fail("UPSTREAM_TIMEOUT")]);
    const r = await runStep("usage", s.attempt, c, { maxAttempts: 3, baseBackoffMs: 10, maxWaitMs: 1000 });
    expect(r.attempts).toBe(3);
    expect(c.slept).toEqual([10, 20]);
    expect(r.disposition?.action).toBe("defer");
  });

  it("never retries a terminal error", async () => {
    const c = clock();
    const r = await runStep("draft", sequence([fail("INVALID_INPUT")]).attempt, c);
    expect(r.attempts).toBe(1);
    expect(c.slept).toEqual([]);
    expect(r.disposition?.action).toBe("review");
  });

  it("marks a success after an unknown outcome as reconciled, but a replay as a replay", async () => {
    const reconciled = await runStep(
      "note",
      sequence([fail("UPSTREAM_TIMEOUT", { sideEffect: "unknown" }), ok()]).attempt,
      clock(),
    );
    expect(reconciled.reconciled).toBe(true);
    const replayed = await runStep("note", sequence([fail("OUTCOME_UNKNOWN"), ok(true)]).attempt, clock());
    expect(replayed.reconciled).toBe(false);
    expect(replayed.outcome.ok && replayed.outcome.replayed).toBe(true);
  });
});
