import { createHash, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ElicitResult } from "@modelcontextprotocol/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { openStore } from "../../src/idempotency/index.js";
import type { IdempotencyStore } from "../../src/idempotency/store.js";
import { connectClient, createTestRuntime } from "../../src/testing/index.js";
import {
  createElicit,
  createStateSeal,
  createToolServer,
  defineTool,
  ElicitationRefused,
  InputRequiredSignal,
  type StateSeal,
} from "../../src/tools/index.js";

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

describe("the request state binding an answer (sealed, expiring, usable once)", () => {
  const question = {
    id: "confirm_send",
    message: "Send to jane@acme.test?",
    requestedSchema: {
      type: "object" as const,
      properties: { confirm: { type: "boolean" as const } },
      required: ["confirm"],
    },
    shown: { draft: "r1", contentHash: "abc", recipients: ["jane@acme.test"] },
    ttlMs: 60_000,
  };
  const accept = { confirm_send: { action: "accept", content: { confirm: true } } };

  /** The request state of the question as asked now. */
  async function askedState(seal: StateSeal, store: IdempotencyStore | undefined, now: () => number) {
    const elicit = createElicit(
      { responses: undefined, requestState: undefined, formSupported: true },
      {
        seal,
        store,
        now,
      },
    );
    const thrown = await elicit(question).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(InputRequiredSignal);
    const state = (thrown as InputRequiredSignal).result.requestState;
    expect(typeof state).toBe("string");
    return state as string;
  }
  const answerWith = (
    seal: StateSeal,
    store: IdempotencyStore | undefined,
    requestState: unknown,
    now: () => number,
    responses: Record<string, unknown> = accept,
  ) => createElicit({ responses, requestState, formSupported: true }, { seal, store, now })(question);

  async function openSqlite() {
    const store = await openStore({
      url: `sqlite:${join(dir, `${randomUUID()}.sqlite`)}`,
      server: "t",
      env: "test",
    });
    stores.push(store);
    return store;
  }

  it("an accept carrying the state it was asked with is used", async () => {
    const seal = createStateSeal("k".repeat(32));
    const store = await openSqlite();
    const state = await askedState(seal, store, Date.now);
    expect(await answerWith(seal, store, state, Date.now)).toEqual({ confirm: true });
  });

  it("a forged or altered state is refused: the person is asked again", async () => {
    const seal = createStateSeal("k".repeat(32));
    const store = await openSqlite();
    const state = await askedState(seal, store, Date.now);
    // Sealed under another key (a client minting its own).
    const forged = await askedState(createStateSeal("x".repeat(32)), store, Date.now);
    await expect(answerWith(seal, store, forged, Date.now)).rejects.toBeInstanceOf(InputRequiredSignal);
    // The readable payload changed (another nonce, a later expiry), the tag kept.
    const [payload, tag] = state.split(".");
    const body = JSON.parse(Buffer.from(payload!, "base64url").toString("utf8"));
    body.d.n = randomUUID();
    body.e += 3_600_000;
    const altered = `${Buffer.from(JSON.stringify(body)).toString("base64url")}.${tag}`;
    await expect(answerWith(seal, store, altered, Date.now)).rejects.toBeInstanceOf(InputRequiredSignal);
    // The old unkeyed digest of the question, or nothing at all.
    const digest = createHash("sha256")
      .update(JSON.stringify([question.id, question.message, question.shown]))
      .digest("base64url");
    await expect(answerWith(seal, store, digest, Date.now)).rejects.toBeInstanceOf(InputRequiredSignal);
    await expect(answerWith(seal, store, undefined, Date.now)).rejects.toBeInstanceOf(InputRequiredSignal);
    // A state given to another question shown (another draft) does not carry over.
    const other = createElicit(
      { responses: accept, requestState: state, formSupported: true },
      { seal, store },
    );
    await expect(other({ ...question, shown: { ...question.shown, draft: "r2" } })).rejects.toBeInstanceOf(
      InputRequiredSignal,
    );
    // The genuine state still works: nothing above used it.
    expect(await answerWith(seal, store, state, Date.now)).toEqual({ confirm: true });
  });

  it("an expired state is refused: the person is asked again", async () => {
    const seal = createStateSeal("k".repeat(32));
    const store = await openSqlite();
    let clock = 1_000_000;
    const now = () => clock;
    const state = await askedState(seal, store, now);
    clock += question.ttlMs + 1;
    await expect(answerWith(seal, store, state, now)).rejects.toBeInstanceOf(InputRequiredSignal);
  });

  it("a replayed accept is refused, in this process and another sharing the store: it acts once", async () => {
    const seal = createStateSeal("k".repeat(32));
    const file = `sqlite:${join(dir, `${randomUUID()}.sqlite`)}`;
    const store = await openStore({ url: file, server: "t", env: "test" });
    const peer = await openStore({ url: file, server: "t", env: "test" });
    stores.push(store, peer);
    const state = await askedState(seal, store, Date.now);
    expect(await answerWith(seal, store, state, Date.now)).toEqual({ confirm: true });
    await expect(answerWith(seal, store, state, Date.now)).rejects.toBeInstanceOf(InputRequiredSignal);
    await expect(answerWith(seal, peer, state, Date.now)).rejects.toBeInstanceOf(InputRequiredSignal);
    // Asked again, a fresh state is issued and works once.
    const fresh = await askedState(seal, store, Date.now);
    expect(fresh).not.toBe(state);
    expect(await answerWith(seal, peer, fresh, Date.now)).toEqual({ confirm: true });
  });

  it("a decline under a genuine state is a refusal; under a forged one the person is asked again", async () => {
    const seal = createStateSeal("k".repeat(32));
    const store = await openSqlite();
    const state = await askedState(seal, store, Date.now);
    const decline = { confirm_send: { action: "decline" } };
    await expect(answerWith(seal, store, state, Date.now, decline)).rejects.toBeInstanceOf(
      ElicitationRefused,
    );
    await expect(answerWith(seal, store, "forged.state", Date.now, decline)).rejects.toBeInstanceOf(
      InputRequiredSignal,
    );
  });
});
