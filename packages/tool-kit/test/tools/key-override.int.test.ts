import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { z } from "zod";
import { openStore } from "../../src/idempotency/index.js";
import type { IdempotencyStore } from "../../src/idempotency/store.js";
import { createTestRuntime } from "../../src/testing/index.js";
import { compileTool } from "../../src/tools/compile-tool.js";
import { type AnyTool, defineTool } from "../../src/tools/index.js";
import { runToolCall } from "../../src/tools/run-tool-call.js";

type Body = Record<string, unknown> & { error?: Record<string, unknown> };
const bodyOf = (result: { content?: unknown }): Body =>
  JSON.parse((result.content as Array<{ text: string }>)[0]!.text);

/** A create tool (key from target and occurrence) that counts its executions. */
function createTool(name: string) {
  const tool = defineTool({
    name,
    title: name,
    description: "Creates a note.",
    kind: "write",
    input: z.object({
      account_id: z.string().describe("Account"),
      body: z.string().describe("Body"),
      occurrence: z.string().describe("Occurrence"),
    }),
    output: z.object({ note: z.number() }),
    idempotency: { key: (a) => ({ target: a.account_id, occurrence: a.occurrence }) },
    async handler() {
      tool.executions += 1;
      return { note: tool.executions };
    },
  }) as unknown as AnyTool & { executions: number };
  tool.executions = 0;
  return tool;
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "key-override-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const stores = [
  { name: "sqlite", url: () => `sqlite:${join(dir, `${randomUUID()}.sqlite`)}` },
  { name: "redis", url: () => inject("redisUrl") },
];

describe.each(stores)("the idempotency_key override through the pipeline on the $name store", ({ url }) => {
  const opened: IdempotencyStore[] = [];
  afterAll(async () => {
    for (const store of opened) await store.close();
  });
  async function setup() {
    const server = `ko-${randomUUID().slice(0, 8)}`;
    const store = await openStore({ url: url(), server, env: "test" });
    opened.push(store);
    return createTestRuntime({ server, store });
  }
  const KEY = "caller-key-0001";

  it("replays the same key with the same arguments, even with another occurrence, and logs the key's source", async () => {
    const test = await setup();
    const tool = createTool("create_note");
    const compiled = compileTool(tool);
    const args = { account_id: "1", body: "hello", occurrence: "a", idempotency_key: KEY };
    const first = bodyOf(await runToolCall(compiled, args, test.runtime));
    expect(first).toMatchObject({ note: 1, replayed: false });
    const again = bodyOf(await runToolCall(compiled, args, test.runtime));
    expect(again).toMatchObject({ note: 1, replayed: true, idempotency_key: first.idempotency_key });
    expect(tool.executions).toBe(1);

    // Without the override the key is derived from the occurrence: another key, another write.
    const derived = bodyOf(
      await runToolCall(compiled, { account_id: "1", body: "hello", occurrence: "a" }, test.runtime),
    );
    expect(derived.idempotency_key).not.toBe(first.idempotency_key);
    expect(tool.executions).toBe(2);

    const lines = test.callLines();
    expect(lines.map((l) => l.keySource)).toEqual(["idempotency_key", "idempotency_key", "occurrence"]);
    expect(lines[0]!.idempotencyKey).toBe(first.idempotency_key);
  });

  it("refuses the same key with other arguments: IDEMPOTENCY_KEY_REUSED naming the field", async () => {
    const test = await setup();
    const tool = createTool("create_note");
    const compiled = compileTool(tool);
    const args = { account_id: "1", body: "hello", occurrence: "a", idempotency_key: KEY };
    await runToolCall(compiled, args, test.runtime);
    const other = bodyOf(await runToolCall(compiled, { ...args, body: "other" }, test.runtime));
    expect(other.error).toMatchObject({
      code: "IDEMPOTENCY_KEY_REUSED",
      retryable: false,
      details: { differingFields: ["body"] },
    });
    expect(tool.executions).toBe(1);
    expect(test.callLines()[1]).toMatchObject({
      outcome: "IDEMPOTENCY_KEY_REUSED",
      keySource: "idempotency_key",
    });
  });

  it("keeps the keys of two tools apart: the same caller key acts once for each tool", async () => {
    const test = await setup();
    const notes = createTool("create_note");
    const tasks = createTool("create_task");
    const args = { account_id: "1", body: "hello", occurrence: "a", idempotency_key: KEY };
    const note = bodyOf(await runToolCall(compileTool(notes), args, test.runtime));
    // Other arguments too: were the keys shared, this would be IDEMPOTENCY_KEY_REUSED.
    const task = bodyOf(await runToolCall(compileTool(tasks), { ...args, body: "x" }, test.runtime));
    expect(note).toMatchObject({ note: 1, replayed: false });
    expect(task).toMatchObject({ note: 1, replayed: false });
    expect(task.idempotency_key).not.toBe(note.idempotency_key);
    expect([notes.executions, tasks.executions]).toEqual([1, 1]);
  });
});
