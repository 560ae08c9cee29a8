import { describe, expect, it } from "vitest";
import { createLogger, createScrubber } from "../../src/logging/index.js";

describe("scrubber", () => {
  const secret = 'pat-na1-"quoted"\\value';
  const scrubber = createScrubber(() => [secret, "short"]);

  it("removes a secret value in raw, JSON-escaped and URL-encoded form", () => {
    expect(scrubber.text(`Bearer ${secret}`)).toBe("Bearer [REDACTED]");
    expect(scrubber.text(JSON.stringify({ echoed: secret }))).toBe('{"echoed":"[REDACTED]"}');
    expect(scrubber.text(`?token=${encodeURIComponent(secret)}`)).toBe("?token=[REDACTED]");
    // Values too short to be told from ordinary text are left alone.
    expect(scrubber.text("a short note")).toBe("a short note");
  });

  it("redacts secret-named keys whatever they hold, deeply", () => {
    const out = scrubber.value({
      headers: { Authorization: "Bearer x", "x-api-key": "k" },
      nested: [{ password: "p", ok: 1 }],
    });
    expect(out).toEqual({
      headers: { Authorization: "[REDACTED]", "x-api-key": "[REDACTED]" },
      nested: [{ password: "[REDACTED]", ok: 1 }],
    });
  });

  it("keeps every log line free of the secret, wherever it hides", () => {
    const lines: string[] = [];
    const logger = createLogger({ scrubber, write: (l) => lines.push(l) });
    logger.info({ body: `{"message":"bad token ${secret}"}` }, `vendor said ${secret}`);
    logger.error({ err: new Error(`failed with ${secret}`) }, "oops");
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      expect(line).not.toContain("quoted");
      JSON.parse(line);
    }
  });
});
