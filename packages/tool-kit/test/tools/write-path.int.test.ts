import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { z } from "zod";
import { ToolError } from "../../src/errors/index.js";
import { openStore } from "../../src/idempotency/index.js";
import type { IdempotencyStore } from "../../src/idempotency/store.js";
import { createTestRuntime } from "../../src/testing/index.js";
import { compileTool } from "../../src/tools/compile-tool.js";
import { type AnyTool, defineTool, type ToolRuntime } from "../../src/tools/index.js";
import { runToolCall } from "../../src/tools/run-tool-call.js";
import { vendorFileTool } from "./fixtures/vendor-file-tool.js";

const here = dirname(fileURLToPath(import.meta.url));
const hooks = join(here, "..", "idempotency", "fixtures", "source-hooks.mjs");
const crashWriter = join(here, "fixtures", "crash-writer.mjs");

type Body = Record<string, unknown> & { error?: Record<string, unknown> };
const bodyOf = (result: { content?: unknown }): Body =>
  JSON.parse((result.content as Array<{ text: string }>)[0]!.text);

/** A write tool whose handler counts its executions and does what the test says. */
function countingTool(behaviour: { delayMs?: number; fail?: () => never } = {}) {
  const tool = defineTool({
    name: "tag_account",
    title: "Tag account",
    description: "Tags an account.",
    kind: "write",
    input: z.object({
      account_id: z.string().describe("Account"),
      tag: z.string().describe("Tag"),
      occurrence: z.string().describe("Occurrence"),
    }),
    output: z.object({ account_id: z.string(), tag: z.string(), execution: z.number() }),
    idempotency: { key: (args) => ({ target: args.account_id, occurrence: args.occurrence }) },
    async handler(args) {
      tool.executions += 1;
      const execution = tool.executions;
      if (behaviour.delayMs) await new Promise((r) => setTimeout(r, behaviour.delayMs));
      if (behaviour.fail) behaviour.fail();
      return { account_id: args.account_id, tag: args.tag, execution };
    },
  }) as unknown as AnyTool & { executions: number };
  tool.executions = 0;
  return tool;
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "write-path-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const stores = [
  { name: "sqlite", url: () => `sqlite:${join(dir, `${randomUUID()}.sqlite`)}` },
  { name: "redis", url: () => inject("redisUrl") },
];

describe.each(stores)("write path on the $name store", ({ url }) => {
  const opened: IdempotencyStore[] = [];
  afterAll(async () => {
    for (const store of opened) await store.close();
  });

  async function setup(options: { caps?: Record<string, number>; leaseMs?: number; stateUrl?: string } = {}) {
    const server = `wp-${randomUUID().slice(0, 8)}`;
    const stateUrl = options.stateUrl ?? url();
    const store = await openStore({ url: stateUrl, server, env: "test" });
    opened.push(store);
    const test = createTestRuntime({
      server,
      store,
      caps: options.caps ?? {},
      idempotency: options.leaseMs ? { leaseMs: options.leaseMs } : {},
    });
    return { ...test, store, server, stateUrl };
  }

  it("executes 100 concurrent calls with one key exactly once; every caller gets the same result", async () => {
    const { runtime } = await setup();
    const tool = countingTool({ delayMs: 150 });
    const compiled = compileTool(tool);
    const args = { account_id: "42", tag: "vip", occurrence: "2026-11-21" };
    const results = await Promise.all(
      Array.from({ length: 100 }, () => runToolCall(compiled, args, runtime)),
    );
    expect(tool.executions).toBe(1);
    const bodies = results.map(bodyOf);
    expect(bodies.every((b) => !b.error)).toBe(true);
    expect(bodies.filter((b) => b.replayed === false)).toHaveLength(1);
    const strip = ({ replayed: _r, ...rest }: Body) => rest;
    for (const body of bodies) expect(strip(body)).toEqual(strip(bodies[0]!));
  });

  it("reserves a cap of N for exactly N of 4×N concurrent writes; replays still replay after the cap", async () => {
    const { runtime, store } = await setup({ caps: { writes: 5 } });
    const tool = countingTool();
    const compiled = compileTool(tool);
    const calls = Array.from({ length: 20 }, (_, i) => ({
      account_id: String(i),
      tag: "t",
      occurrence: "o",
    }));
    const bodies = (await Promise.all(calls.map((args) => runToolCall(compiled, args, runtime)))).map(bodyOf);
    const ok = bodies.filter((b) => !b.error);
    const capped = bodies.filter((b) => b.error?.code === "CAP_EXCEEDED");
    expect(ok).toHaveLength(5);
    expect(capped).toHaveLength(15);
    expect(tool.executions).toBe(5);
    expect(capped[0]!.error).toMatchObject({
      retryable: false,
      details: { cap: "writes", limit: 5, used: 5 },
    });
    expect(String(capped[0]!.error!.message)).toMatch(/5 of 5/);
    expect(await store.capUsage("writes", runtime.runId)).toBe(5);

    const done = calls.find((args) => ok.some((b) => b.account_id === args.account_id))!;
    const replay = bodyOf(await runToolCall(compiled, done, runtime));
    expect(replay).toMatchObject({ replayed: true });
    expect(tool.executions).toBe(5);
  });

  it("releases the key and refunds the cap on a retryable failure before the request left", async () => {
    let failing = true;
    const tool = countingTool({
      fail: () => {
        if (failing) throw new ToolError("RATE_LIMITED", "slow down", { retryAfterMs: 1000 });
        return undefined as never;
      },
    });
    const { runtime, store } = await setup({ caps: { writes: 1 } });
    const compiled = compileTool(tool);
    const args = { account_id: "7", tag: "t", occurrence: "o" };
    const first = bodyOf(await runToolCall(compiled, args, runtime));
    expect(first.error).toMatchObject({
      code: "RATE_LIMITED",
      retryable: true,
      retryAfterMs: 1000,
      sideEffect: "none",
    });
    expect(await store.capUsage("writes", runtime.runId)).toBe(0);
    failing = false;
    const second = bodyOf(await runToolCall(compiled, args, runtime));
    expect(second).toMatchObject({ replayed: false, execution: 2 });
  });

  it("stores a terminal failure after the write committed, replays it without acting, and queues it for review", async () => {
    const tool = countingTool({
      fail: () => {
        throw new ToolError("UPSTREAM_REJECTED", "vendor rejected the tag", {
          field: "tag",
          sideEffect: "committed",
        });
      },
    });
    const { runtime, store } = await setup();
    const compiled = compileTool(tool);
    const args = { account_id: "8", tag: "bad tag", occurrence: "o" };
    const first = bodyOf(await runToolCall(compiled, args, runtime));
    expect(first.error).toMatchObject({ code: "UPSTREAM_REJECTED", retryable: false, replayed: false });
    const reviewId = first.error!.reviewId as string;
    expect(reviewId).toBeTruthy();
    const second = bodyOf(await runToolCall(compiled, args, runtime));
    expect(second.error).toMatchObject({ code: "UPSTREAM_REJECTED", replayed: true, reviewId });
    expect(tool.executions).toBe(1);
    const review = await store.getReview(reviewId);
    expect(review).toMatchObject({
      tool: "tag_account",
      status: "open",
      args: { account_id: "8", tag: "bad tag" },
      error: { code: "UPSTREAM_REJECTED" },
    });
  });

  it("refunds every cap on a terminal error that proves nothing was done: two bad ids don't exhaust a cap of 2", async () => {
    const tool = defineTool({
      name: "send_item",
      title: "Send item",
      description: "Sends an item.",
      kind: "write",
      input: z.object({ item_id: z.string().describe("Item") }),
      output: z.object({ item_id: z.string(), sent: z.boolean() }),
      caps: ["sends"],
      idempotency: { key: (args) => ({ target: args.item_id, occurrence: "send" }) },
      async handler(args) {
        tool.executions += 1;
        if (args.item_id.startsWith("missing")) throw new ToolError("NOT_FOUND", `No item ${args.item_id}`);
        if (args.item_id.startsWith("bad"))
          throw new ToolError("INVALID_INPUT", "Not sendable", { field: "item_id" });
        return { item_id: args.item_id, sent: true };
      },
    }) as unknown as AnyTool & { executions: number };
    tool.executions = 0;
    const { runtime, store } = await setup({ caps: { writes: 2, sends: 2 } });
    const compiled = compileTool(tool);
    for (const item_id of ["missing-1", "bad-2", "missing-1"]) {
      const body = bodyOf(await runToolCall(compiled, { item_id }, runtime));
      expect(body.error).toMatchObject({ sideEffect: "none", retryable: false, replayed: false });
      expect(body.error!.reviewId).toBeUndefined();
    }
    expect(await store.capUsage("writes", runtime.runId)).toBe(0);
    expect(await store.capUsage("sends", runtime.runId)).toBe(0);
    expect(await store.listReviews()).toEqual([]);
    // The repeated bad id ran again (nothing to replay), and both caps still admit two sends.
    expect(tool.executions).toBe(3);
    for (const item_id of ["real-1", "real-2"])
      expect(bodyOf(await runToolCall(compiled, { item_id }, runtime))).toMatchObject({
        sent: true,
        replayed: false,
      });
    expect(bodyOf(await runToolCall(compiled, { item_id: "real-3" }, runtime)).error).toMatchObject({
      code: "CAP_EXCEEDED",
    });
  });

  it("releases the key on a credential or quota failure: reviewed, cap refunded, works once fixed", async () => {
    let failure: ToolError | undefined = new ToolError("PERMISSION_DENIED", "token revoked");
    const tool = countingTool({
      fail: () => {
        if (failure) throw failure;
        return undefined as never;
      },
    });
    const { runtime, store } = await setup({ caps: { writes: 1 } });
    const compiled = compileTool(tool);
    const args = { account_id: "11", tag: "t", occurrence: "o" };
    const denied = bodyOf(await runToolCall(compiled, args, runtime));
    expect(denied.error).toMatchObject({
      code: "PERMISSION_DENIED",
      retryable: false,
      sideEffect: "none",
      replayed: false,
    });
    expect(await store.getReview(denied.error!.reviewId as string)).toMatchObject({ status: "open" });
    expect(await store.capUsage("writes", runtime.runId)).toBe(0);
    failure = new ToolError("QUOTA_EXHAUSTED", "daily limit");
    expect(bodyOf(await runToolCall(compiled, args, runtime)).error).toMatchObject({
      code: "QUOTA_EXHAUSTED",
      replayed: false,
    });
    failure = undefined;
    expect(bodyOf(await runToolCall(compiled, args, runtime))).toMatchObject({
      replayed: false,
      execution: 3,
    });
  });

  it("marks an unknown outcome and reconciles it on the next call instead of writing again", async () => {
    const vendorFile = join(dir, `${randomUUID()}.log`);
    const { runtime } = await setup();
    const args = { account_id: "9", text: "hello", occurrence: "o" };
    // The vendor wrote, then the connection dropped before the answer: the outcome is unknown.
    const first = bodyOf(await runToolCall(compileTool(vendorFileTool(vendorFile, "drop")), args, runtime));
    expect(first.error).toMatchObject({ code: "UPSTREAM_TIMEOUT", retryable: true, sideEffect: "unknown" });
    const second = bodyOf(await runToolCall(compileTool(vendorFileTool(vendorFile)), args, runtime));
    expect(second).toMatchObject({ replayed: true });
    expect(readFileSync(vendorFile, "utf8").trim().split("\n")).toHaveLength(1);
  });

  it("recovers from a SIGKILL after the vendor wrote but before the key completed: no second write", async () => {
    const vendorFile = join(dir, `${randomUUID()}.log`);
    const { server, stateUrl } = await setup();
    const args = { account_id: "10", text: "crash", occurrence: "o" };
    const orders = { url: stateUrl, server, vendorFile, after: "crash", leaseMs: 400, args };
    const child = spawn(process.execPath, ["--import", hooks, crashWriter, JSON.stringify(orders)], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    const signal = await new Promise<NodeJS.Signals | null>((resolve) =>
      child.on("exit", (_code, sig) => resolve(sig)),
    );
    expect(signal, stderr).toBe("SIGKILL");
    expect(existsSync(vendorFile)).toBe(true);
    expect(readFileSync(vendorFile, "utf8").trim().split("\n")).toHaveLength(1);

    const store = await openStore({ url: stateUrl, server, env: "test" });
    opened.push(store);
    const { runtime } = createTestRuntime({ server, store, idempotency: { leaseMs: 400 } });
    await new Promise((r) => setTimeout(r, 600));
    const next = bodyOf(await runToolCall(compileTool(vendorFileTool(vendorFile)), args, runtime));
    expect(next).toMatchObject({ replayed: true });
    expect(readFileSync(vendorFile, "utf8").trim().split("\n")).toHaveLength(1);
  });
});

describe("store down", () => {
  it("fails writes closed with STORE_UNAVAILABLE, quickly, while reads keep working", async () => {
    const store = await openStore({ url: "redis://127.0.0.1:1", server: "down", env: "test" });
    try {
      const test = createTestRuntime({ server: "down", store });
      const runtime: ToolRuntime = test.runtime;
      const started = Date.now();
      const write = bodyOf(
        await runToolCall(
          compileTool(countingTool()),
          { account_id: "1", tag: "t", occurrence: "o" },
          runtime,
        ),
      );
      expect(write.error).toMatchObject({ code: "STORE_UNAVAILABLE", retryable: true, sideEffect: "none" });
      expect(Date.now() - started).toBeLessThan(3_000);
      const read = defineTool({
        name: "ping_vendor",
        title: "Ping",
        description: "Reads.",
        kind: "read",
        input: z.object({}),
        output: z.object({ ok: z.boolean() }),
        handler: async () => ({ ok: true }),
      }) as AnyTool;
      expect(bodyOf(await runToolCall(compileTool(read), {}, runtime))).toEqual({ ok: true });
    } finally {
      await store.close();
    }
  });
});
