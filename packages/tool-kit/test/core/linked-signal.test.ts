import { getEventListeners } from "node:events";
import { describe, expect, it } from "vitest";
import { linkedSignal } from "../../src/core/linked-signal.js";

describe("linkedSignal", () => {
  it("aborts with the first source's reason, and detaches from every source", () => {
    const a = new AbortController();
    const b = new AbortController();
    const link = linkedSignal([a.signal, undefined, b.signal]);
    expect(link.signal.aborted).toBe(false);
    b.abort("client cancelled");
    expect(link.signal.aborted).toBe(true);
    expect(link.signal.reason).toBe("client cancelled");
    expect(getEventListeners(a.signal, "abort")).toHaveLength(0);
    a.abort("later");
    expect(link.signal.reason).toBe("client cancelled");
  });

  it("starts aborted when a source already is", () => {
    const a = new AbortController();
    a.abort("gone");
    const b = new AbortController();
    const link = linkedSignal([b.signal, a.signal]);
    expect(link.signal.reason).toBe("gone");
    expect(getEventListeners(b.signal, "abort")).toHaveLength(0);
  });

  it("leaves no listener on a long-lived source once released, however many calls it served", () => {
    const shutdown = new AbortController();
    for (let i = 0; i < 1_000; i++) {
      const link = linkedSignal([new AbortController().signal, shutdown.signal]);
      link.release();
    }
    expect(getEventListeners(shutdown.signal, "abort")).toHaveLength(0);
    const held = linkedSignal([shutdown.signal]);
    shutdown.abort(new Error("shutting down"));
    expect((held.signal.reason as Error).message).toBe("shutting down");
  });

  it("aborts by its own hand (a deadline) without touching the sources", () => {
    const source = new AbortController();
    const link = linkedSignal([source.signal]);
    link.abort(new Error("deadline"));
    expect(link.signal.aborted).toBe(true);
    expect(source.signal.aborted).toBe(false);
    link.release();
    expect(getEventListeners(source.signal, "abort")).toHaveLength(0);
  });
});
