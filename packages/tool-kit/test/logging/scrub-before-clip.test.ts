import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createLogger, createScrubber, LOG_BOUNDS } from "../../src/logging/index.js";
import { createTestRuntime } from "../../src/testing/index.js";
import { compileTool } from "../../src/tools/compile-tool.js";
import { type AnyTool, defineTool } from "../../src/tools/index.js";
import { runToolCall } from "../../src/tools/run-tool-call.js";

const SECRET = "sk_live_CANARY_prefix_0123456789abcdef";

/** Whether `text` holds any prefix of the secret of 6 characters or more. */
const leaksPrefix = (text: string) => {
  for (let n = 6; n <= SECRET.length; n++) if (text.includes(SECRET.slice(0, n))) return true;
  return false;
};

describe("the tool-kit scrubs before it clips: no prefix of a secret across a cut", () => {
  const scrubber = createScrubber(() => [SECRET]);
  const logged = () => {
    const lines: string[] = [];
    return { lines, logger: createLogger({ scrubber, write: (l) => lines.push(l) }) };
  };

  it("a log key cut at its bound (an argument name holding a secret)", () => {
    const { lines, logger } = logged();
    const key = `${"k".repeat(LOG_BOUNDS.keyChars - 10)}${SECRET}`;
    logger.info({ args: { [key]: 1 } }, "call");
    expect(lines).toHaveLength(1);
    expect(leaksPrefix(lines[0]!)).toBe(false);
    expect(lines[0]).toContain("[REDACTED]");
  });

  it("a log string cut at its bound", () => {
    const { lines, logger } = logged();
    logger.info(
      { body: `${"b".repeat(LOG_BOUNDS.stringChars - 10)}${SECRET}${"c".repeat(100)}` },
      "vendor said",
    );
    expect(leaksPrefix(lines[0]!)).toBe(false);
  });

  it("an error's stack cut to its first lines (a multi-line secret across the cut)", () => {
    const twoLines = "first-half-of-a-secret-ABCDEF\nsecond-half-of-a-secret-GHIJKL";
    const s = createScrubber(() => [twoLines]);
    const lines: string[] = [];
    const logger = createLogger({ scrubber: s, write: (l) => lines.push(l) });
    // The stack's first line is the message's first line: the secret starts on line 6.
    logger.error({ err: new Error(`one\ntwo\nthree\nfour\nfive\nsix ${twoLines}`) }, "failed");
    expect(lines[0]).not.toContain("first-half-of-a-secret");
    expect(lines[0]).not.toContain("second-half-of-a-secret");
  });

  it("an unknown argument name cut in an INVALID_INPUT error", async () => {
    const tool = defineTool({
      name: "get_thing",
      title: "Get thing",
      description: "Gets a thing.",
      kind: "read",
      input: z.object({ id: z.string().optional() }),
      output: z.object({ ok: z.boolean() }),
      async handler() {
        return { ok: true };
      },
    }) as unknown as AnyTool;
    const test = createTestRuntime({ secrets: [SECRET] });
    const name = `${"a".repeat(190)}${SECRET}${"z".repeat(1_000)}`;
    const result = await runToolCall(compileTool(tool), { [name]: 1 }, test.runtime);
    const text = (result.content as Array<{ text: string }>)[0]!.text;
    expect(JSON.parse(text).error).toMatchObject({ code: "INVALID_INPUT" });
    expect(leaksPrefix(text)).toBe(false);
    expect(leaksPrefix(test.lines.join("\n"))).toBe(false);
  });
});
