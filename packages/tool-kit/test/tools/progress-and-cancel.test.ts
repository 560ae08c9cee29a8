import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { ToolError } from "../../src/errors/index.js";
import { connectClient, createTestRuntime, waitFor } from "../../src/testing/index.js";
import { type AbortReason, createToolServer, defineTool } from "../../src/tools/index.js";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** Reports three steps, then answers. */
const stepper = defineTool({
  name: "count_steps",
  title: "Count steps",
  description: "Reports progress three times.",
  kind: "read",
  input: z.object({}),
  output: z.object({ steps: z.number() }),
  async handler(_args, ctx) {
    for (const step of [1, 2, 2, 3])
      await ctx.progress({ progress: step, total: 3, message: `step ${step}` });
    return { steps: 3 };
  },
});

/** Waits until its signal aborts and records why. */
function waiter(seen: Array<AbortReason | undefined>, deadlineMs?: number) {
  return defineTool({
    name: "wait_for_abort",
    title: "Wait for abort",
    description: "Waits until aborted.",
    kind: "read",
    input: z.object({}),
    output: z.object({ ok: z.boolean() }),
    ...(deadlineMs !== undefined ? { deadlineMs } : {}),
    async handler(_args, ctx) {
      seen.push(ctx.abortReason());
      await new Promise((resolve) => ctx.signal.addEventListener("abort", resolve, { once: true }));
      seen.push(ctx.abortReason());
      throw new ToolError("UPSTREAM_TIMEOUT", "gave up");
    },
  });
}

async function connect(tools: Parameters<typeof createToolServer>[0]["tools"]) {
  const test = createTestRuntime();
  const server = createToolServer({ name: "t", version: "1.0.0", tools, runtime: test.runtime });
  const connected = await connectClient(server);
  cleanups.push(connected.close);
  return { ...connected, ...test };
}

describe("ToolContext progress (through a real MCP client)", () => {
  it("sends notifications/progress when the client asked for them, dropping a report that does not grow", async () => {
    const { client } = await connect([stepper]);
    const seen: Array<{ progress: number; total?: number; message?: string }> = [];
    const result = await client.callTool(
      { name: "count_steps", arguments: {} },
      { onprogress: (p) => seen.push(p) },
    );
    expect(result.structuredContent).toEqual({ steps: 3 });
    await waitFor(() => seen.length === 3);
    expect(seen).toEqual([
      { progress: 1, total: 3, message: "step 1" },
      { progress: 2, total: 3, message: "step 2" },
      { progress: 3, total: 3, message: "step 3" },
    ]);
  });

  it("is a no-op when the client sent no progress token", async () => {
    const { client } = await connect([stepper]);
    const notifications: unknown[] = [];
    client.fallbackNotificationHandler = async (n) => {
      notifications.push(n);
    };
    const result = await client.callTool({ name: "count_steps", arguments: {} });
    expect(result.structuredContent).toEqual({ steps: 3 });
    expect(notifications).toEqual([]);
  });
});

describe("ToolContext abortReason", () => {
  it("says cancelled when the client cancels, and the call log says cancelled", async () => {
    const seen: Array<AbortReason | undefined> = [];
    const { client, callLines } = await connect([waiter(seen)]);
    const controller = new AbortController();
    const call = client.callTool({ name: "wait_for_abort", arguments: {} }, { signal: controller.signal });
    await waitFor(() => seen.length === 1);
    controller.abort(new Error("user pressed escape"));
    await expect(call).rejects.toThrow();
    await waitFor(() => callLines().length === 1);
    expect(seen).toEqual([undefined, "cancelled"]);
    expect(callLines()[0]).toMatchObject({ tool: "wait_for_abort", outcome: "cancelled" });
  });

  it("says deadline when the deadline passes, and the call log says UPSTREAM_TIMEOUT", async () => {
    const seen: Array<AbortReason | undefined> = [];
    const { client, callLines } = await connect([waiter(seen, 100)]);
    const result = await client.callTool({ name: "wait_for_abort", arguments: {} });
    expect(result.isError).toBe(true);
    expect(seen).toEqual([undefined, "deadline"]);
    expect(callLines()[0]).toMatchObject({ tool: "wait_for_abort", outcome: "UPSTREAM_TIMEOUT" });
  });
});
