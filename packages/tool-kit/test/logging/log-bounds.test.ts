import { describe, expect, it } from "vitest";
import { createLogger, LOG_BOUNDS } from "../../src/logging/index.js";

function capture() {
  const lines: string[] = [];
  const logger = createLogger({ write: (l) => lines.push(l) });
  return { logger, lines, last: () => JSON.parse(lines.at(-1) ?? "null") };
}

describe("log line bounds", () => {
  it("cuts a 1 MB key (an argument name) and a 1 MB value, stating their length", () => {
    const { logger, lines, last } = capture();
    const name = "k".repeat(1 << 20);
    logger.info({ args: { [name]: "v".repeat(1 << 20) } }, "tool call");
    expect(lines.at(-1)?.length).toBeLessThan(LOG_BOUNDS.lineChars);
    const [[key, value]] = Object.entries(last().args) as [[string, string]];
    expect(key).toBe(`${"k".repeat(LOG_BOUNDS.keyChars)}…(${1 << 20} chars)`);
    expect(value).toBe(`${"v".repeat(LOG_BOUNDS.stringChars)}…(${1 << 20} chars)`);
  });

  it("abridges many keys, many items and deep nesting", () => {
    const { logger, last } = capture();
    const many = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`k${i}`, i]));
    let deep: unknown = "bottom";
    for (let i = 0; i < 5000; i++) deep = [deep];
    logger.info({ many, items: Array.from({ length: 1000 }, (_, i) => i), deep }, "x");
    const line = last();
    expect(Object.keys(line.many)).toHaveLength(LOG_BOUNDS.keys + 1);
    expect(line.many["…"]).toBe(`${1000 - LOG_BOUNDS.keys} more keys`);
    expect(line.items).toHaveLength(LOG_BOUNDS.items + 1);
    expect(line.items.at(-1)).toBe(`…(${1000 - LOG_BOUNDS.items} more items)`);
    expect(JSON.stringify(line.deep)).toContain("[…]");
  });

  it("replaces a line still too long (a huge message) by a short one keeping level and message", () => {
    const { logger, lines, last } = capture();
    logger.warn(`${"m".repeat(200_000)}`);
    expect(lines.at(-1)?.length).toBeLessThan(1024);
    expect(last()).toMatchObject({ level: "warn", lineChars: expect.any(Number) });
    expect(last().msg).toMatch(/\(log line too long; cut\)$/);
  });
});
