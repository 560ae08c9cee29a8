import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { ToolError, toErrorEnvelope } from "../../src/errors/index.js";
import { openStore } from "../../src/idempotency/index.js";
import { openSqliteStore } from "../../src/idempotency/sqlite-store.js";
import type { IdempotencyStore } from "../../src/idempotency/store.js";
import { createLogger } from "../../src/logging/index.js";
import { createTestRuntime } from "../../src/testing/index.js";
import { compileTool } from "../../src/tools/compile-tool.js";
import { holdLease } from "../../src/tools/hold-lease.js";
import { type AnyTool, defineTool } from "../../src/tools/index.js";
import { runToolCall } from "../../src/tools/run-tool-call.js";

type Body = Record<string, unknown> & { error?: Record<string, unknown> };
const bodyOf = (result: { content?: unknown }): Body =>
  JSON.parse((result.content as Array<{ text: string }>)[0]!.text);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let dir: string;
const stores: IdempotencyStore[] = [];
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "write-edges-"));
});
afterAll(async () => {
  for (const store of stores) await store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function runtimeWith(
  idempotency: { leaseMs?: number; inProgressWaitMs?: number } = {},
  now?: () => number,
) {
  const store = now
    ? openSqliteStore({ path: join(dir, `${randomUUID()}.sqlite`), server: "edges", env: "test", now })
    : await openStore({ url: `sqlite:${join(dir, `${randomUUID()}.sqlite`)}`, server: "edges", env: "test" });
  stores.push(store);
  return { store, ...createTestRuntime({ server: "edges", store, idempotency }) };
}

const input = z.object({
  account_id: z.string().describe("Account"),
  occurrence: z.string().describe("Occurrence"),
});

describe("write path edges", () => {
  it("keeps the key owned while a handler that outlived its deadline still runs: it never runs twice", async () => {
    let writes = 0;
    let finish: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      finish = resolve;
    });
    const slow = defineTool({
      name: "slow_write",
      title: "Slow write",
      description: "Ignores its deadline and writes when the test lets it.",
      kind: "write",
      deadlineMs: 100,
      input,
      output: z.object({ write: z.number() }),
      idempotency: {
        key: (a) => ({ target: a.account_id, occurrence: a.occurrence }),
        reconcile: async () => null,
      },
      async handler() {
        await gate;
        writes += 1;
        return { write: writes };
      },
    }) as unknown as AnyTool;
    // The store's clock is virtual: the lease lapses only when the test moves it, never
    // because a loaded machine was slow to renew it.
    let now = Date.now();
    const { runtime, store } = await runtimeWith({ leaseMs: 300, inProgressWaitMs: 100 }, () => now);
    const tool = compileTool(slow);
    const args = { account_id: "1", occurrence: "o" };

    const first = bodyOf(await runToolCall(tool, args, runtime));
    expect(first.error).toMatchObject({ code: "UPSTREAM_TIMEOUT", retryable: true, sideEffect: "unknown" });
    const key = first.error!.idempotencyKey as string;
    // Three times 200 ms of store time (twice the lease in all), each followed by a renewal:
    // the lease would have lapsed were it not renewed while the handler runs.
    for (let step = 0; step < 3; step++) {
      now += 200;
      for (let waited = 0; ((await store.get(key))?.leaseExpiresAt ?? 0) < now + 300; waited += 20) {
        if (waited > 10_000) throw new Error("the lease was not renewed");
        await sleep(20);
      }
    }
    const second = bodyOf(await runToolCall(tool, args, runtime));
    expect(second.error).toMatchObject({ code: "IN_PROGRESS", retryable: true });
    finish();
    // The late outcome is recorded in the background once the handler settles.
    for (let waited = 0; (await store.get(key))?.state !== "completed"; waited += 20) {
      if (waited > 5_000) throw new Error("the late outcome was never recorded");
      await sleep(20);
    }
    const third = bodyOf(await runToolCall(tool, args, runtime));
    expect(third).toMatchObject({ write: 1, replayed: true });
    expect(writes).toBe(1);
  });

  it("records a reconciled result that drifted from the schema as a committed failure that replays", async () => {
    let attempt = 0;
    const drifting = defineTool({
      name: "drifting_write",
      title: "Drifting write",
      description: "Loses its answer, then reconcile finds a drifted record.",
      kind: "write",
      input,
      output: z.object({ note_id: z.string() }),
      idempotency: {
        key: (a) => ({ target: a.account_id, occurrence: a.occurrence }),
        reconcile: async () => ({ note_id: 42 }) as unknown as { note_id: string },
      },
      async handler() {
        attempt += 1;
        throw new ToolError("UPSTREAM_TIMEOUT", "answer lost", { sideEffect: "unknown" });
      },
    }) as unknown as AnyTool;
    const { runtime, store } = await runtimeWith();
    const tool = compileTool(drifting);
    const args = { account_id: "2", occurrence: "o" };
    expect(bodyOf(await runToolCall(tool, args, runtime)).error).toMatchObject({ code: "UPSTREAM_TIMEOUT" });
    const second = bodyOf(await runToolCall(tool, args, runtime));
    expect(second.error).toMatchObject({
      code: "UPSTREAM_CONTRACT_VIOLATION",
      sideEffect: "committed",
      replayed: false,
    });
    expect(second.error!.reviewId).toBeTruthy();
    expect(await store.getReview(second.error!.reviewId as string)).toMatchObject({
      tool: "drifting_write",
      status: "open",
    });
    const third = bodyOf(await runToolCall(tool, args, runtime));
    expect(third.error).toMatchObject({ code: "UPSTREAM_CONTRACT_VIOLATION", replayed: true });
    expect(attempt).toBe(1);
  });

  it("answers OUTCOME_UNKNOWN when reconcile does not finish before the deadline", async () => {
    const hanging = defineTool({
      name: "hanging_reconcile",
      title: "Hanging reconcile",
      description: "Reconcile never answers.",
      kind: "write",
      deadlineMs: 100,
      input,
      output: z.object({ ok: z.boolean() }),
      idempotency: {
        key: (a) => ({ target: a.account_id, occurrence: a.occurrence }),
        reconcile: () => new Promise<null>(() => undefined),
      },
      async handler() {
        throw new ToolError("UPSTREAM_TIMEOUT", "answer lost", { sideEffect: "unknown" });
      },
    }) as unknown as AnyTool;
    const { runtime } = await runtimeWith();
    const tool = compileTool(hanging);
    const args = { account_id: "3", occurrence: "o" };
    await runToolCall(tool, args, runtime);
    const started = Date.now();
    const second = bodyOf(await runToolCall(tool, args, runtime));
    expect(second.error).toMatchObject({ code: "OUTCOME_UNKNOWN", retryable: true, sideEffect: "unknown" });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("aborts the attempt when the store refuses a lease renewal", async () => {
    const refusing = { renew: async () => false } as unknown as IdempotencyStore;
    const lease = holdLease(refusing, "k", "owner", 300, 10_000, createLogger({ level: "silent" }));
    // Waits for the event, not for a wall-clock interval a loaded machine may overrun.
    await new Promise((resolve) => lease.lost.addEventListener("abort", resolve, { once: true }));
    expect(lease.lost.aborted).toBe(true);
    lease.release();
  });
});

describe("toErrorEnvelope never throws", () => {
  it("drops details that cannot be serialised or whose scrubbed text is not JSON", () => {
    const bigint = new ToolError("UPSTREAM_REJECTED", "x", {
      details: { n: 10n } as unknown as Record<string, unknown>,
    });
    expect(toErrorEnvelope(bigint).error.details).toEqual({ redacted: true });
    const digits = new ToolError("UPSTREAM_REJECTED", "x", { details: { used: 4242420 } });
    const scrub = (text: string) => text.replaceAll("424242", "[REDACTED]");
    expect(toErrorEnvelope(digits, { scrub }).error.details).toEqual({ redacted: true });
  });
});
