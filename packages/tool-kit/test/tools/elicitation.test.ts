import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ElicitResult } from "@modelcontextprotocol/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { openStore } from "../../src/idempotency/index.js";
import type { IdempotencyStore } from "../../src/idempotency/store.js";
import { connectClient, createTestRuntime } from "../../src/testing/index.js";
import { createToolServer, defineTool } from "../../src/tools/index.js";

let dir: string;
const stores: IdempotencyStore[] = [];
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "elicit-"));
});
afterAll(async () => {
  for (const store of stores) await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A write that asks a person before it "acts" (counts into `acted`), with one cap of sends. */
async function confirmServer() {
  const store = await openStore({
    url: `sqlite:${join(dir, `${randomUUID()}.sqlite`)}`,
    server: "t",
    env: "test",
  });
  stores.push(store);
  const test = createTestRuntime({ server: "t", store, caps: { sends: 5 } });
  const acted: string[] = [];
  let version = "v1";
  const tool = defineTool({
    name: "launch",
    title: "Launch",
    description: "Launches after a person confirms.",
    kind: "write",
    caps: ["sends"],
    input: z.object({ target: z.string().describe("What to launch") }),
    output: z.object({ launched: z.string() }),
    idempotency: { key: (args) => ({ target: args.target, occurrence: "once" }) },
    async handler(args, ctx) {
      if (!ctx.elicit) throw new Error("no elicit");
      const answer = await ctx.elicit({
        id: "confirm_launch",
        message: `Launch ${args.target} (${version})?`,
        requestedSchema: {
          type: "object",
          properties: { confirm: { type: "boolean", title: "Launch it" } },
          required: ["confirm"],
        },
        shown: version,
      });
      if (answer.confirm !== true) throw new Error("not confirmed");
      acted.push(args.target);
      return { launched: args.target };
    },
  });
  const server = createToolServer({ name: "t", version: "0", tools: [tool], runtime: test.runtime });
  return { server, store, test, acted, setVersion: (v: string) => (version = v) };
}

const call = (client: Awaited<ReturnType<typeof connectClient>>["client"], target: string) =>
  client.callTool({ name: "launch", arguments: { target } }) as Promise<{
    isError?: boolean;
    structuredContent?: Record<string, unknown>;
    content: Array<{ text: string }>;
  }>;
const errorOf = (result: { content: Array<{ text: string }> }) => JSON.parse(result.content[0]!.text).error;

describe("elicitation through ToolContext (2025-era connection, the SDK's shim asks)", () => {
  it("acts once on an explicit accept, showing the person the message", async () => {
    const s = await confirmServer();
    const asked: string[] = [];
    const c = await connectClient(s.server, "person", {
      elicit: (params) => {
        asked.push(params.message);
        return { action: "accept", content: { confirm: true } };
      },
    });
    const result = await call(c.client, "rocket");
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({ launched: "rocket", replayed: false });
    expect(asked).toEqual(["Launch rocket (v1)?"]);
    expect(s.acted).toEqual(["rocket"]);
    expect(await s.store.capUsage("sends", "test-run")).toBe(1);
    // A repeat replays without asking again.
    const again = await call(c.client, "rocket");
    expect(again.structuredContent).toMatchObject({ launched: "rocket", replayed: true });
    expect(asked).toHaveLength(1);
    await c.close();
  });

  it.each(["decline", "cancel"] as const)(
    "%s: nothing done, key released, no cap used, no review",
    async (action) => {
      const s = await confirmServer();
      const c = await connectClient(s.server, "person", { elicit: (): ElicitResult => ({ action }) });
      const result = await call(c.client, "rocket");
      expect(result.isError).toBe(true);
      expect(errorOf(result)).toMatchObject({
        code: "PERMISSION_DENIED",
        retryable: false,
        sideEffect: "none",
        details: { confirmation: action === "decline" ? "declined" : "cancelled" },
      });
      expect(s.acted).toEqual([]);
      expect(await s.store.capUsage("sends", "test-run")).toBe(0);
      expect(await s.store.capUsage("writes", "test-run")).toBe(0);
      expect(await s.store.listReviews()).toEqual([]);
      const key = errorOf(result).idempotencyKey as string;
      expect(await s.store.get(key)).toBeNull();
      await c.close();
    },
  );

  it("accept without the confirming value does not act", async () => {
    const s = await confirmServer();
    const c = await connectClient(s.server, "person", {
      elicit: () => ({ action: "accept", content: { confirm: false } }),
    });
    const result = await call(c.client, "rocket");
    expect(result.isError).toBe(true);
    expect(s.acted).toEqual([]);
    await c.close();
  });

  it("a client without elicitation gets a terminal error saying so, and nothing is done", async () => {
    const s = await confirmServer();
    const c = await connectClient(s.server, "no-forms");
    const result = await call(c.client, "rocket");
    expect(result.isError).toBe(true);
    const error = errorOf(result);
    expect(error).toMatchObject({
      code: "PERMISSION_DENIED",
      retryable: false,
      details: { confirmation: "unsupported" },
    });
    expect(error.message).toMatch(/does not support MCP elicitation/);
    expect(s.acted).toEqual([]);
    expect(await s.store.capUsage("sends", "test-run")).toBe(0);
    await c.close();
  });

  it("an answer given to what is no longer shown is not used: the person is asked again", async () => {
    const s = await confirmServer();
    const asked: string[] = [];
    const c = await connectClient(s.server, "person", {
      elicit: (params) => {
        asked.push(params.message);
        // The facts change while the person looks at the first version.
        if (asked.length === 1) s.setVersion("v2");
        return { action: "accept", content: { confirm: true } };
      },
    });
    const result = await call(c.client, "rocket");
    expect(result.structuredContent).toMatchObject({ launched: "rocket" });
    expect(asked).toEqual(["Launch rocket (v1)?", "Launch rocket (v2)?"]);
    expect(s.acted).toEqual(["rocket"]);
    await c.close();
  });

  it("logs the asking round and the final outcome", async () => {
    const s = await confirmServer();
    const c = await connectClient(s.server, "person", { elicit: () => ({ action: "decline" }) });
    await call(c.client, "rocket");
    expect(s.test.callLines().map((l) => l.outcome)).toEqual(["input_required", "PERMISSION_DENIED"]);
    await c.close();
  });
});
