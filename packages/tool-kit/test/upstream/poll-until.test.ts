import { describe, expect, it } from "vitest";
import { type PollOutcome, pollUntil } from "../../src/upstream/index.js";

const running = (state = "running"): PollOutcome<string> => ({ done: false, state });

describe("pollUntil", () => {
  it("polls until done, reporting each pending look", async () => {
    const answers = [running("queued"), running(), { done: true as const, value: "rows" }];
    const pending: Array<{ attempt: number; state?: string }> = [];
    const value = await pollUntil({
      poll: async () => answers.shift()!,
      deadline: Date.now() + 60_000,
      backoff: { initialMs: 1, maxMs: 2 },
      onPending: ({ attempt, state }) => {
        pending.push({ attempt, ...(state ? { state } : {}) });
      },
    });
    expect(value).toBe("rows");
    expect(pending).toEqual([
      { attempt: 1, state: "queued" },
      { attempt: 2, state: "running" },
    ]);
  });

  it("waits with growing, capped backoff", async () => {
    const waits: number[] = [];
    let last = Date.now();
    let looks = 0;
    await pollUntil({
      poll: async () => {
        const now = Date.now();
        if (looks > 0) waits.push(now - last);
        last = now;
        looks += 1;
        return looks < 5 ? running() : { done: true, value: "rows" };
      },
      deadline: Date.now() + 60_000,
      backoff: { initialMs: 20, maxMs: 40 },
      random: () => 1,
    });
    // Steps 20, 40, 40, 40 (capped); each wait is at least its step.
    expect(waits).toHaveLength(4);
    expect(waits[0]).toBeGreaterThanOrEqual(19);
    for (const wait of waits.slice(1)) expect(wait).toBeGreaterThanOrEqual(39);
  });

  it("gives up with UPSTREAM_TIMEOUT (reason deadline) once the deadline passes, after a last look", async () => {
    let looks = 0;
    const error = await pollUntil({
      poll: async () => {
        looks += 1;
        return running();
      },
      deadline: Date.now() + 50,
      backoff: { initialMs: 10, maxMs: 20 },
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: "UPSTREAM_TIMEOUT",
      retryable: true,
      details: { reason: "deadline" },
    });
    expect(looks).toBeGreaterThanOrEqual(1);
  });

  it("stops at once when its signal aborts during a wait (reason aborted)", async () => {
    const controller = new AbortController();
    let looks = 0;
    const error = await pollUntil({
      poll: async () => {
        looks += 1;
        if (looks === 1) queueMicrotask(() => controller.abort());
        return running();
      },
      deadline: Date.now() + 600_000,
      signal: controller.signal,
      backoff: { initialMs: 300_000, maxMs: 300_000 },
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "UPSTREAM_TIMEOUT", details: { reason: "aborted" } });
    expect(looks).toBe(1);
  });

  it("passes on what the poll throws", async () => {
    await expect(
      pollUntil({
        poll: async () => {
          throw new Error("422");
        },
        deadline: Date.now() + 1_000,
      }),
    ).rejects.toThrow("422");
  });
});
