import { describe, expect, it } from "vitest";
import { createLineWriter } from "../../src/logging/index.js";

/**
 * A pipe of `capacity` bytes that accepts at most `chunk` bytes per write (as a non-blocking
 * pipe does) and answers EAGAIN when full; `drain()` is the reader taking everything.
 */
function fakePipe(capacity: number, chunk = 4096) {
  let buffered = 0;
  const received: Buffer[] = [];
  let reading = false;
  const write = (_fd: number, buffer: Buffer, offset: number): number => {
    if (reading) buffered = 0;
    const room = capacity - buffered;
    if (room <= 0)
      throw Object.assign(new Error("EAGAIN: resource temporarily unavailable"), { code: "EAGAIN" });
    const n = Math.min(room, chunk, buffer.length - offset);
    received.push(buffer.subarray(offset, offset + n));
    buffered += n;
    return n;
  };
  return {
    write,
    text: () => Buffer.concat(received).toString("utf8"),
    startReading: () => {
      reading = true;
    },
  };
}

/** A clock that moves only when the writer sleeps. */
function virtualTime() {
  let t = 0;
  return { now: () => t, sleep: (ms: number) => (t += ms) };
}

describe("createLineWriter", () => {
  it("writes a line longer than the pipe whole, waiting while the pipe is full", () => {
    const pipe = fakePipe(64 * 1024);
    const clock = virtualTime();
    let sleeps = 0;
    const write = createLineWriter(2, {
      writeSync: pipe.write,
      now: clock.now,
      sleep: (ms) => {
        sleeps += 1;
        clock.sleep(ms);
        // The reader catches up after a while.
        if (sleeps === 3) pipe.startReading();
      },
    });
    const long = JSON.stringify({ n: 1, text: "x".repeat(300_000) });
    write(`${long}\n`);
    write(`${JSON.stringify({ n: 2 })}\n`);
    const lines = pipe.text().trimEnd().split("\n");
    expect(lines.map((l) => JSON.parse(l).n)).toEqual([1, 2]);
    expect(sleeps).toBeGreaterThan(0);
  });

  it("drops lines whole while nobody reads, then says how many", () => {
    const first = `${JSON.stringify({ n: 1, pad: "y".repeat(60) })}\n`;
    const pipe = fakePipe(first.length);
    const clock = virtualTime();
    const write = createLineWriter(2, {
      writeSync: pipe.write,
      now: clock.now,
      sleep: clock.sleep,
      stallDropMs: 1000,
    });
    write(first);
    // The pipe is full: this one cannot start within the stall limit, nor can the next.
    write(`${JSON.stringify({ n: 2, pad: "y".repeat(60) })}\n`);
    write(`${JSON.stringify({ n: 3 })}\n`);
    pipe.startReading();
    write(`${JSON.stringify({ n: 4 })}\n`);
    const lines = pipe
      .text()
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.n ?? l.droppedLines)).toEqual([1, 2, 4]);
    expect(lines[1]).toMatchObject({ level: "warn", droppedLines: 2 });
  });

  it("drops silently once the reader is gone (EPIPE)", () => {
    const calls: number[] = [];
    const write = createLineWriter(2, {
      writeSync: () => {
        calls.push(1);
        throw Object.assign(new Error("EPIPE"), { code: "EPIPE" });
      },
    });
    expect(() => write("{}\n")).not.toThrow();
    expect(calls).toHaveLength(1);
  });
});
