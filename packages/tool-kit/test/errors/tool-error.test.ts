import { describe, expect, it } from "vitest";
import { isToolError, ToolError, toErrorEnvelope } from "../../src/errors/index.js";

describe("isToolError", () => {
  it("accepts a ToolError, and a copy from a duplicated module whose code is on the closed list", () => {
    expect(isToolError(new ToolError("NOT_FOUND", "no such account"))).toBe(true);
    const copy = Object.assign(new Error("rate limited"), { name: "ToolError", code: "RATE_LIMITED" });
    expect(isToolError(copy)).toBe(true);
  });

  it("refuses an error merely named ToolError whose code is not one of ours", () => {
    const foreign = Object.assign(new Error("socket hang up"), { name: "ToolError", code: "ECONNRESET" });
    expect(isToolError(foreign)).toBe(false);
    expect(isToolError(Object.assign(new Error("x"), { name: "ToolError" }))).toBe(false);
    expect(isToolError(Object.assign(new Error("x"), { name: "ToolError", code: "toString" }))).toBe(false);
    expect(isToolError({ name: "ToolError", code: "NOT_FOUND", message: "plain object" })).toBe(false);

    const envelope = toErrorEnvelope(foreign);
    expect(envelope.error.code).toBe("INTERNAL");
    expect(envelope.error.retryable).toBe(false);
    expect(JSON.stringify(envelope)).not.toContain("ECONNRESET");
    expect(JSON.stringify(envelope)).not.toContain("socket hang up");
  });
});
