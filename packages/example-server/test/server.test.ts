import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore } from "@gtm-mcp/tool-kit/idempotency";
import { connectClient, createTestRuntime } from "@gtm-mcp/tool-kit/testing";
import type { Client } from "@modelcontextprotocol/client";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type AccountBook, createMemoryBook, createServer } from "../src/server.js";

type Result = Awaited<ReturnType<Client["callTool"]>>;
const envelopeOf = (result: Result) => JSON.parse((result.content as Array<{ text: string }>)[0]!.text).error;

let dir: string;
const cleanups: Array<() => Promise<void>> = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "example-server-"));
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
  rmSync(dir, { recursive: true, force: true });
});

async function connect(options: { writesEnabled?: boolean; book?: AccountBook; secrets?: string[] } = {}) {
  const store = await openStore({
    url: `sqlite:${join(dir, "state.sqlite")}`,
    server: "example",
    env: "sandbox",
  });
  const test = createTestRuntime({
    server: "example",
    store,
    writesEnabled: options.writesEnabled ?? true,
    secrets: options.secrets ?? [],
  });
  const server = createServer({ book: options.book ?? createMemoryBook(), runtime: test.runtime });
  const { client, close } = await connectClient(server);
  cleanups.push(async () => {
    await close();
    await store.close();
  });
  return { client, ...test };
}

describe("example server over a real MCP client", () => {
  it("lists both tools with truthful annotations and declared schemas", async () => {
    const { client } = await connect();
    const { tools } = await client.listTools();
    const byName = Object.fromEntries(tools.map((t) => [t.name, t]));
    expect(Object.keys(byName).sort()).toEqual(["lookup_account", "tag_account"]);

    expect(byName.lookup_account!.annotations).toMatchObject({
      readOnlyHint: true,
      destructiveHint: false,
      idempotentHint: true,
    });
    expect(byName.tag_account!.annotations).toMatchObject({
      readOnlyHint: false,
      destructiveHint: false,
      idempotentHint: true,
    });

    const tagInput = byName.tag_account!.inputSchema as {
      required?: string[];
      properties: Record<string, { description?: string }>;
      additionalProperties?: boolean;
    };
    expect(tagInput.required?.sort()).toEqual(["account_id", "occurrence", "tag"]);
    expect(tagInput.additionalProperties).toBe(false);
    expect(tagInput.properties.idempotency_key?.description).toMatch(/idempotency key/);
    for (const property of Object.values(tagInput.properties)) expect(property.description).toBeTruthy();

    const tagOutput = byName.tag_account!.outputSchema as {
      properties: Record<string, unknown>;
      required?: string[];
    };
    expect(Object.keys(tagOutput.properties).sort()).toEqual([
      "account_id",
      "idempotency_key",
      "replayed",
      "tags",
    ]);
  });

  it("returns structuredContent with exactly the declared keys and the same JSON as text", async () => {
    const { client } = await connect();
    const result = await client.callTool({ name: "lookup_account", arguments: { account_id: "1001" } });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toEqual({
      account: { id: "1001", name: "Acme Corp", domain: "acme.com", tags: ["customer"] },
    });
    expect(JSON.parse((result.content as Array<{ text: string }>)[0]!.text)).toEqual(
      result.structuredContent,
    );
  });

  it("answers not-found as a NOT_FOUND envelope, never as structuredContent", async () => {
    const { client } = await connect();
    const result = await client.callTool({ name: "lookup_account", arguments: { account_id: "9999" } });
    expect(result.isError).toBe(true);
    expect(result.structuredContent).toBeUndefined();
    const error = envelopeOf(result);
    expect(error).toMatchObject({ code: "NOT_FOUND", retryable: false, sideEffect: "none" });
    expect((result._meta as { error: unknown }).error).toEqual(error);
  });

  it("rejects bad input with INVALID_INPUT naming the field", async () => {
    const { client } = await connect();
    const bad = await client.callTool({ name: "lookup_account", arguments: { account_id: "12ab" } });
    expect(envelopeOf(bad)).toMatchObject({ code: "INVALID_INPUT", field: "account_id", retryable: false });

    const unknownArg = await client.callTool({
      name: "lookup_account",
      arguments: { account_id: "1001", acount: "x" },
    });
    expect(envelopeOf(unknownArg)).toMatchObject({ code: "INVALID_INPUT", field: "acount" });

    const missing = await client.callTool({
      name: "tag_account",
      arguments: { account_id: "1001", tag: "vip" },
    });
    expect(envelopeOf(missing)).toMatchObject({ code: "INVALID_INPUT", field: "occurrence" });
  });

  it("acts once per occurrence: a repeat replays, other arguments under the same key are refused", async () => {
    const { client, callLines } = await connect();
    const args = { account_id: "1002", tag: "churn-risk", occurrence: "2026-11-21" };
    const first = await client.callTool({ name: "tag_account", arguments: args });
    expect(first.structuredContent).toMatchObject({
      account_id: "1002",
      tags: ["churn-risk"],
      replayed: false,
    });
    const key = (first.structuredContent as { idempotency_key: string }).idempotency_key;
    expect(key).toMatch(/^tag_account:[0-9a-f]{64}$/);

    const again = await client.callTool({ name: "tag_account", arguments: args });
    expect(again.structuredContent).toEqual({ ...(first.structuredContent as object), replayed: true });

    const reused = await client.callTool({ name: "tag_account", arguments: { ...args, tag: "vip" } });
    expect(envelopeOf(reused)).toMatchObject({
      code: "IDEMPOTENCY_KEY_REUSED",
      retryable: false,
      details: { differingFields: ["tag"] },
    });

    const lookup = await client.callTool({ name: "lookup_account", arguments: { account_id: "1002" } });
    expect((lookup.structuredContent as { account: { tags: string[] } }).account.tags).toEqual([
      "churn-risk",
    ]);
    expect(callLines().map((l) => [l.tool, l.outcome, l.replayed])).toEqual([
      ["tag_account", "ok", false],
      ["tag_account", "ok", true],
      ["tag_account", "IDEMPOTENCY_KEY_REUSED", false],
      ["lookup_account", "ok", false],
    ]);
  });

  it("hides write tools when writes are disabled, and refuses a call with WRITES_DISABLED", async () => {
    const { client } = await connect({ writesEnabled: false });
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(["lookup_account"]);
    const result = await client.callTool({
      name: "tag_account",
      arguments: { account_id: "1001", tag: "vip", occurrence: "x" },
    });
    expect(envelopeOf(result)).toMatchObject({
      code: "WRITES_DISABLED",
      retryable: false,
      sideEffect: "none",
    });
  });

  it("turns an unexpected exception into INTERNAL without its message, and logs the cause", async () => {
    const failing: AccountBook = {
      find: async () => {
        throw new Error("connection string postgres://admin:hunter2@db failed");
      },
      addTag: async () => {
        throw new Error("unreachable");
      },
    };
    const { client, lines } = await connect({ book: failing });
    const result = await client.callTool({ name: "lookup_account", arguments: { account_id: "1001" } });
    const error = envelopeOf(result);
    expect(error.code).toBe("INTERNAL");
    expect(error.retryable).toBe(false);
    expect(JSON.stringify(result)).not.toContain("hunter2");
    expect(JSON.stringify(result)).not.toMatch(/at .*\.ts:\d+/);
    expect(lines.some((line) => line.includes("tool call failed unexpectedly"))).toBe(true);
  });
});
