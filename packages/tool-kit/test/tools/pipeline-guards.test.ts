import { describe, expect, it } from "vitest";
import { z } from "zod";
import { openSqliteStore } from "../../src/idempotency/sqlite-store.js";
import { connectClient, createTestRuntime } from "../../src/testing/index.js";
import { compileTool } from "../../src/tools/compile-tool.js";
import { type AnyTool, createToolServer, defineTool } from "../../src/tools/index.js";
import { runToolCall } from "../../src/tools/run-tool-call.js";
import { countContacts } from "./fixture-tools.js";

const SECRET = "pat-na1-CANARY-5f4dcc3b5aa765d61d83";

const textOf = (result: { content?: unknown }) => (result.content as Array<{ text: string }>)[0]!.text;

const call = async (tool: AnyTool, args: unknown) => {
  // A real (in-memory) store, so a write that passes the guards is really executed.
  const store = openSqliteStore({ path: ":memory:", server: "guards", env: "test" });
  const test = createTestRuntime({ secrets: [SECRET], store });
  const result = await runToolCall(compileTool(tool), args, test.runtime);
  return { result, text: textOf(result), body: JSON.parse(textOf(result)), ...test };
};

/** A read whose "vendor" echoes the secret in its data (a hostile record, or a vendor echo). */
const echoingRead = defineTool({
  name: "get_company",
  title: "Get company",
  description: "Returns a company.",
  kind: "read",
  input: z.object({}),
  output: z.object({
    name: z.string(),
    tags: z.array(z.string()),
    properties: z.record(z.string(), z.string()),
  }),
  async handler() {
    return {
      name: `Acme ${SECRET}`,
      tags: [SECRET],
      properties: { [`x-${SECRET}`]: encodeURIComponent(SECRET) },
    };
  },
}) as unknown as AnyTool;

/** A write that records what it would send. */
function noteWrite() {
  const sent: unknown[] = [];
  const tool = defineTool({
    name: "log_note",
    title: "Log note",
    description: "Logs a note.",
    kind: "write",
    input: z.object({
      account_id: z.string().describe("Account"),
      body: z.string().describe("Body"),
      fields: z.record(z.string(), z.string()).optional().describe("Fields"),
      occurrence: z.string().describe("Occurrence"),
    }),
    output: z.object({ ok: z.boolean() }),
    idempotency: { key: (a) => ({ target: a.account_id, occurrence: a.occurrence }) },
    async handler(args) {
      sent.push(args);
      return { ok: true };
    },
  }) as unknown as AnyTool;
  return { tool, sent };
}

describe("the pipeline's guards on what comes in and goes out", () => {
  it("rejects __proto__ as a top-level argument like any unknown key, through a real client and server", async () => {
    const test = createTestRuntime();
    const server = createToolServer({
      name: "t",
      version: "1",
      tools: [countContacts as AnyTool],
      runtime: test.runtime,
    });
    const { client, close } = await connectClient(server);
    try {
      for (const args of ['{"contacts":[],"__proto__":{"x":1}}', '{"contacts":[],"__proto__":{}}']) {
        const result = await client.callTool({ name: "count_contacts", arguments: JSON.parse(args) });
        const body = JSON.parse(textOf(result));
        expect(body.error).toMatchObject({ code: "INVALID_INPUT", field: "__proto__", retryable: false });
        expect(body.error.message).toContain('unknown argument "__proto__"');
      }
      // Straight from JSON.parse (an own key) too.
      const direct = await call(countContacts as AnyTool, JSON.parse('{"contacts":[],"__proto__":{"x":1}}'));
      expect(direct.body.error).toMatchObject({ code: "INVALID_INPUT", field: "__proto__" });
    } finally {
      await close();
    }
  });

  it("bounds an echoed argument name: a megabyte-long name gives a short envelope stating its length", async () => {
    const name = "n".repeat(1_000_000);
    const { text, body, result } = await call(countContacts as AnyTool, { contacts: [], [name]: 1 });
    expect(body.error).toMatchObject({ code: "INVALID_INPUT" });
    expect(text.length).toBeLessThan(3_000);
    expect(JSON.stringify(result).length).toBeLessThan(6_000);
    expect(body.error.field).toMatch(/…\(1000000 chars\)$/);
    expect(body.error.message).toContain("(1000000 chars)");
  });

  it("scrubs a configured secret from a successful result (strings, list items, keys, encoded forms)", async () => {
    const { result, text, body } = await call(echoingRead, {});
    expect(result.isError).toBeFalsy();
    expect(text).not.toContain(SECRET);
    expect(JSON.stringify(result.structuredContent)).not.toContain(SECRET);
    expect(JSON.stringify(result)).not.toContain(encodeURIComponent(SECRET));
    expect(body).toEqual({
      name: "Acme [REDACTED]",
      tags: ["[REDACTED]"],
      properties: { "x-[REDACTED]": "[REDACTED]" },
    });
  });

  it("refuses a write whose arguments carry a configured secret: INVALID_INPUT naming the field, never the value", async () => {
    const { tool, sent } = noteWrite();
    const args = { account_id: "1", body: `call notes: token ${SECRET} ok`, occurrence: "o" };
    const { body, text, callLines } = await call(tool, args);
    expect(body.error).toMatchObject({
      code: "INVALID_INPUT",
      field: "body",
      retryable: false,
      sideEffect: "none",
    });
    expect(text).not.toContain(SECRET);
    expect(sent).toEqual([]);
    expect(callLines()[0]).toMatchObject({ outcome: "INVALID_INPUT" });
    expect(JSON.stringify(callLines())).not.toContain(SECRET);

    const nested = await call(tool, {
      account_id: "1",
      body: "b",
      fields: { note: SECRET },
      occurrence: "o",
    });
    expect(nested.body.error).toMatchObject({ code: "INVALID_INPUT", field: "fields.note" });
    const encoded = await call(tool, { account_id: "1", body: encodeURIComponent(SECRET), occurrence: "o" });
    expect(encoded.body.error).toMatchObject({ code: "INVALID_INPUT", field: "body" });
    const inKey = await call(tool, {
      account_id: "1",
      body: "b",
      fields: { [SECRET]: "v" },
      occurrence: "o",
    });
    expect(inKey.body.error).toMatchObject({ code: "INVALID_INPUT", field: "fields" });
    expect(inKey.text).not.toContain(SECRET);
    expect(sent).toEqual([]);
  });

  it("lets a write without a secret through", async () => {
    const { tool, sent } = noteWrite();
    const { body } = await call(tool, { account_id: "1", body: "renewal booked", occurrence: "o" });
    expect(body).toMatchObject({ ok: true, replayed: false });
    expect(sent).toHaveLength(1);
  });
});
