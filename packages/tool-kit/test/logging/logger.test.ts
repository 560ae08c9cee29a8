import { describe, expect, it } from "vitest";
import { createLogger, createScrubber, REDACTED } from "../../src/logging/index.js";

const SECRET = "pat-na1-logged-secret-42";

/** An `err` field as a log line carries it. */
interface LoggedError {
  name: string;
  message: string;
  code?: string;
  stack: string;
  cause: LoggedError;
  errors: LoggedError[];
}

function capture(secrets: string[] = []) {
  const lines: string[] = [];
  const logger = createLogger({ scrubber: createScrubber(() => secrets), write: (l) => lines.push(l) });
  const last = () => JSON.parse(lines.at(-1) ?? "null") as { err: LoggedError };
  return { logger, lines, last };
}

describe("logged errors", () => {
  it("keep name, message, code, a short stack and the cause chain", () => {
    const { logger, last } = capture();
    const inner = Object.assign(new Error("inner"), { code: "ECONNRESET" });
    logger.error({ err: new TypeError("x failed", { cause: inner }) }, "call failed");
    const { err } = last();
    expect(err).toMatchObject({ name: "TypeError", message: "x failed" });
    expect(err.stack).toMatch(/^TypeError: x failed\n\s+at /);
    expect(err.stack.split("\n").length).toBeLessThanOrEqual(6);
    expect(err.cause).toMatchObject({ name: "Error", message: "inner", code: "ECONNRESET" });
    expect(err.cause.stack).toMatch(/\n\s+at /);
  });

  it("serialises an error passed as the only argument, and a thrown non-error", () => {
    const { logger, last } = capture();
    logger.error(new RangeError("out of range"));
    expect(last().err).toMatchObject({ name: "RangeError", message: "out of range" });
    logger.warn({ err: "a thrown string" }, "odd");
    expect(last().err).toEqual({ message: "a thrown string" });
  });

  it("keeps the errors of an AggregateError (a failed connect to every address)", () => {
    const { logger, last } = capture();
    const aggregate = Object.assign(
      new AggregateError(
        [new Error("connect ECONNREFUSED ::1:6379"), new Error("connect ECONNREFUSED 127.0.0.1:6379")],
        "",
      ),
      { code: "ECONNREFUSED" },
    );
    logger.error({ err: aggregate }, "store down");
    const { err } = last();
    expect(err).toMatchObject({ name: "AggregateError", code: "ECONNREFUSED" });
    expect(err.errors.map((e) => e.message)).toEqual([
      "connect ECONNREFUSED ::1:6379",
      "connect ECONNREFUSED 127.0.0.1:6379",
    ]);
  });

  it("still scrubs a secret inside an error's message, stack and cause", () => {
    const { logger, lines, last } = capture([SECRET]);
    const cause = new Error(`vendor echoed {"token":"${SECRET}"}`);
    logger.error({ err: new Error(`failed with ${SECRET}`, { cause }) }, "oops");
    expect(lines.join("")).not.toContain(SECRET);
    const { err } = last();
    expect(err.message).toBe(`failed with ${REDACTED}`);
    expect(err.stack).toContain(`failed with ${REDACTED}`);
    expect(err.cause.message).toBe(`vendor echoed {"token":"${REDACTED}"}`);
  });

  it("bounds a cyclic cause chain and survives an object whose traps throw", () => {
    const { logger, last } = capture();
    const loop = new Error("loop");
    (loop as { cause?: unknown }).cause = loop;
    logger.error({ err: loop }, "cycle");
    expect(last().err.message).toBe("loop");
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error("trap");
        },
      },
    );
    logger.error({ err: new Error("outer", { cause: hostile }) }, "hostile");
    expect(last().err).toMatchObject({ message: "outer", cause: "[unreadable]" });
  });
});
