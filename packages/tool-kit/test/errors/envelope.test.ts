import { describe, expect, it } from "vitest";
import { ERROR_CODE_LIST, isRetryable, ToolError, toErrorEnvelope } from "../../src/errors/index.js";

describe("error codes", () => {
  it("is the closed list of design.md §3 with retryability from one table", () => {
    expect(ERROR_CODE_LIST).toHaveLength(17);
    const retryable = ERROR_CODE_LIST.filter(isRetryable).sort();
    expect(retryable).toEqual([
      "IN_PROGRESS",
      "OUTCOME_UNKNOWN",
      "RATE_LIMITED",
      "STORE_UNAVAILABLE",
      "UPSTREAM_TIMEOUT",
      "UPSTREAM_UNAVAILABLE",
    ]);
  });
});

describe("toErrorEnvelope", () => {
  it("keeps a ToolError's code and facts, with retryable from the code", () => {
    const error = new ToolError("RATE_LIMITED", "HubSpot rate limit (SECONDLY); retry after 1000 ms", {
      retryAfterMs: 1000,
      upstream: { system: "hubspot", status: 429, requestId: "abc" },
    });
    expect(toErrorEnvelope(error, { idempotencyKey: "k", replayed: false })).toEqual({
      error: {
        code: "RATE_LIMITED",
        message: "HubSpot rate limit (SECONDLY); retry after 1000 ms",
        retryable: true,
        retryAfterMs: 1000,
        sideEffect: "none",
        upstream: { system: "hubspot", status: 429, requestId: "abc" },
        idempotencyKey: "k",
        replayed: false,
      },
    });
  });

  it("turns anything else into INTERNAL with a generic message: no text, stack or body of the cause", () => {
    const cause = new Error('ECONNRESET while reading {"token":"pat-na1-secret"}');
    const envelope = toErrorEnvelope(cause);
    expect(envelope.error.code).toBe("INTERNAL");
    expect(envelope.error.retryable).toBe(false);
    const text = JSON.stringify(envelope);
    expect(text).not.toContain("ECONNRESET");
    expect(text).not.toContain("pat-na1-secret");
    expect(text).not.toContain("at ");
    expect(toErrorEnvelope("a string").error.code).toBe("INTERNAL");
    expect(toErrorEnvelope(undefined).error.code).toBe("INTERNAL");
  });

  it("scrubs the message and details with the given scrubber", () => {
    const error = new ToolError("UPSTREAM_REJECTED", "bad token tok_123456789", {
      details: { echoed: "tok_123456789" },
    });
    const envelope = toErrorEnvelope(error, { scrub: (t) => t.replaceAll("tok_123456789", "[REDACTED]") });
    expect(JSON.stringify(envelope)).not.toContain("tok_123456789");
    expect(envelope.error.message).toBe("bad token [REDACTED]");
  });
});
