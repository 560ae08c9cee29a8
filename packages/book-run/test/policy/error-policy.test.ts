import { ERROR_CODE_LIST, isRetryable } from "@gtm-mcp/tool-kit/errors";
import { describe, expect, it } from "vitest";
import { DEFAULT_RETRY_LIMITS, decideOnError, WORKFLOW_STEPS, waitBefore } from "../../src/policy/index.js";

const limits = { maxAttempts: 4, baseBackoffMs: 100, maxWaitMs: 5_000 };

describe("decideOnError", () => {
  it("retries every retryable code of the tool-kit's table, and no terminal one", () => {
    for (const { step } of WORKFLOW_STEPS) {
      for (const code of ERROR_CODE_LIST) {
        const d = decideOnError(step, { code }, 1, limits);
        const outage = step === "signals" && code === "UPSTREAM_UNAVAILABLE";
        expect(d.action === "retry", `${step} ${code}`).toBe(isRetryable(code) && !outage);
      }
    }
  });

  it("waits what the server said, capped", () => {
    expect(decideOnError("note", { code: "RATE_LIMITED", retryAfterMs: 1234 }, 1, limits)).toEqual({
      action: "retry",
      afterMs: 1234,
    });
    expect(decideOnError("note", { code: "RATE_LIMITED", retryAfterMs: 60_000 }, 1, limits)).toEqual({
      action: "retry",
      afterMs: 5_000,
    });
  });

  it("backs off doubling when the server gave no wait", () => {
    expect(waitBefore(1, undefined, limits, 0)).toBe(100);
    expect(waitBefore(3, undefined, limits, 0)).toBe(400);
    expect(waitBefore(3, undefined, limits, 0.5)).toBe(600);
  });

  it("does not wait on an enrichment outage and goes on without it", () => {
    expect(decideOnError("signals", { code: "UPSTREAM_UNAVAILABLE" }, 1).action).toBe("continue_without");
    expect(decideOnError("signals", { code: "NOT_FOUND" }, 1).action).toBe("continue_without");
    expect(decideOnError("signals", { code: "CAP_EXCEEDED" }, 1).action).toBe("continue_without");
    expect(decideOnError("signals", { code: "RATE_LIMITED" }, 1).action).toBe("retry");
  });

  it("defers an account whose retries ran out, on reads and writes alike", () => {
    for (const step of ["account", "usage", "note", "draft"] as const)
      expect(decideOnError(step, { code: "UPSTREAM_TIMEOUT" }, limits.maxAttempts, limits).action).toBe(
        "defer",
      );
    expect(decideOnError("threads", { code: "UPSTREAM_TIMEOUT" }, limits.maxAttempts, limits).action).toBe(
      "continue_without",
    );
  });

  it("treats warehouse NOT_FOUND as no usage and a missing account as a skip", () => {
    expect(decideOnError("usage", { code: "NOT_FOUND" }, 1).action).toBe("continue_without");
    expect(decideOnError("account", { code: "NOT_FOUND" }, 1).action).toBe("skip_account");
  });

  it("never works around a cap or disabled writes, and leaves other terminal writes for review", () => {
    expect(decideOnError("draft", { code: "CAP_EXCEEDED" }, 1).action).toBe("stop_tool");
    expect(decideOnError("note", { code: "WRITES_DISABLED" }, 1).action).toBe("stop_tool");
    expect(decideOnError("note", { code: "IDEMPOTENCY_KEY_REUSED", reviewId: "r1" }, 1)).toEqual({
      action: "review",
      reason: "note IDEMPOTENCY_KEY_REUSED (review r1)",
    });
  });

  it("reads an unknown code as INTERNAL (terminal)", () => {
    expect(decideOnError("note", { code: "SOMETHING_NEW" }, 1).action).toBe("review");
  });

  it("has bounded defaults", () => {
    expect(DEFAULT_RETRY_LIMITS.maxAttempts).toBeGreaterThan(1);
    expect(DEFAULT_RETRY_LIMITS.maxWaitMs).toBeLessThanOrEqual(60_000);
  });
});
