import { describe, expect, it } from "vitest";
import { z } from "zod";
import { openSqliteStore } from "../../src/idempotency/sqlite-store.js";
import { createScrubber } from "../../src/logging/index.js";
import { createTestRuntime } from "../../src/testing/index.js";
import { compileTool } from "../../src/tools/compile-tool.js";
import { type AnyTool, defineTool } from "../../src/tools/index.js";
import { refuseSecretArguments } from "../../src/tools/refuse-secrets.js";
import { runToolCall } from "../../src/tools/run-tool-call.js";

const SECRET = "1//0gRefreshCANARY-Token_5f4dcc3b5aa7";

/** A draft-like write: a display name folded by its schema, recipients nested in a list. */
function draftWrite() {
  const sent: unknown[] = [];
  type Node = { next?: Node; text?: string };
  const node: z.ZodType<Node> = z.lazy(() =>
    z.object({ next: node.optional(), text: z.string().optional() }),
  );
  const tool = defineTool({
    name: "create_draft",
    title: "Create draft",
    description: "Creates a draft.",
    kind: "write",
    input: z.object({
      to: z.string(),
      // The schema folds the name: the parsed copy no longer holds the secret verbatim.
      to_name: z
        .string()
        .transform((name) => name.toLowerCase())
        .optional(),
      cc: z.array(z.object({ address: z.string(), name: z.string().optional() })).optional(),
      tree: node.optional(),
      occurrence: z.string(),
    }),
    output: z.object({ ok: z.boolean() }),
    idempotency: { key: (a) => ({ target: a.to, occurrence: a.occurrence }) },
    async handler(args) {
      sent.push(args);
      return { ok: true };
    },
  }) as unknown as AnyTool;
  return { tool, sent };
}

const call = async (tool: AnyTool, args: unknown) => {
  const store = openSqliteStore({ path: ":memory:", server: "refuse", env: "test" });
  const test = createTestRuntime({ secrets: [SECRET], store });
  const result = await runToolCall(compileTool(tool), args, test.runtime);
  const text = (result.content as Array<{ text: string }>)[0]!.text;
  await store.close();
  return { text, body: JSON.parse(text) };
};

describe("the write refusal covers every string argument of a write", () => {
  it("a display name a schema transforms is refused on its raw form (to_name)", async () => {
    const { tool, sent } = draftWrite();
    const { body, text } = await call(tool, {
      to: "ana@acme.com",
      to_name: `Ana ${SECRET}`,
      occurrence: "o",
    });
    expect(body.error).toMatchObject({ code: "INVALID_INPUT", field: "to_name" });
    expect(text).not.toContain(SECRET);
    expect(text.toLowerCase()).not.toContain(SECRET.toLowerCase());
    expect(sent).toEqual([]);
  });

  it("a name nested in a list of objects", async () => {
    const { tool, sent } = draftWrite();
    const { body } = await call(tool, {
      to: "ana@acme.com",
      cc: [{ address: "bo@acme.com" }, { address: "cy@acme.com", name: `Cy ${SECRET}` }],
      occurrence: "o",
    });
    expect(body.error).toMatchObject({ code: "INVALID_INPUT", field: "cc[1].name" });
    expect(sent).toEqual([]);
  });

  it("a string nested deeper than 32 levels", async () => {
    const { tool, sent } = draftWrite();
    let tree: Record<string, unknown> = { text: SECRET };
    for (let i = 0; i < 40; i++) tree = { next: tree };
    const { body, text } = await call(tool, { to: "ana@acme.com", tree, occurrence: "o" });
    expect(body.error).toMatchObject({ code: "INVALID_INPUT" });
    expect(body.error.field).toMatch(/^tree(\.next){40}\.text$/);
    expect(text).not.toContain(SECRET);
    expect(sent).toEqual([]);
  });

  it("refuseSecretArguments walks without recursion: 100,000 levels cost no stack", () => {
    const scrubber = createScrubber(() => [SECRET]);
    let deep: unknown = [SECRET];
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(() => refuseSecretArguments({ deep }, scrubber)).toThrow(/contains a configured secret value/);
    let clean: unknown = ["x"];
    for (let i = 0; i < 100_000; i++) clean = [clean];
    expect(() => refuseSecretArguments({ clean }, scrubber)).not.toThrow();
  });
});
