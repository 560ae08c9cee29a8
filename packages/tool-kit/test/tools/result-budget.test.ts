import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { connectClient, createTestRuntime } from "../../src/testing/index.js";
import { type AnyTool, createToolServer, defineTool } from "../../src/tools/index.js";
import { clipMarker, DEFAULT_RESULT_BUDGET_CHARS, fitResultBudget } from "../../src/tools/result-budget.js";

const SECRET = "pdl_live_CANARY_9f8e7d6c5b4a3210";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

type Result = {
  isError?: boolean;
  structuredContent?: Record<string, unknown>;
  content: Array<{ text: string }>;
};

async function connect(tools: AnyTool[]) {
  const test = createTestRuntime({ secrets: [SECRET] });
  const server = createToolServer({ name: "t", version: "1", tools, runtime: test.runtime });
  const connected = await connectClient(server);
  cleanups.push(connected.close);
  const call = (name: string, args: Record<string, unknown> = {}) =>
    connected.client.callTool({ name, arguments: args }) as Promise<Result>;
  return { ...connected, ...test, call };
}

/** A read returning what a hostile vendor record holds. */
function vendorRead<T extends Record<string, unknown>>(
  output: z.ZodObject<z.ZodRawShape>,
  data: () => T,
  budget?: number,
): AnyTool {
  return defineTool({
    name: "get_company",
    title: "Get company",
    description: "Returns a vendor record.",
    kind: "read",
    input: z.object({}),
    output,
    ...(budget !== undefined ? { resultBudgetChars: budget } : {}),
    async handler() {
      return data();
    },
  }) as unknown as AnyTool;
}

const company = z.object({
  domain: z.string(),
  display_name: z.string(),
  tags: z.array(z.string()),
  summary: z.string(),
});

describe("a tool-kit result budget on every result", () => {
  it(`huge vendor strings: the result's JSON stays within ${DEFAULT_RESULT_BUDGET_CHARS} characters, each clipped field stating its length`, async () => {
    const { call, callLines, logs } = await connect([
      vendorRead(company, () => ({
        domain: "acme.com",
        display_name: "D".repeat(102_400),
        tags: Array.from({ length: 25 }, (_, i) => `${i % 10}`.repeat(20_480)),
        summary: "A short summary.",
      })),
    ]);
    const result = await call("get_company");
    expect(result.isError).toBeFalsy();
    const text = result.content[0]!.text;
    expect(text.length).toBeLessThanOrEqual(DEFAULT_RESULT_BUDGET_CHARS);
    // Unclipped, the text would be 1,171,xxx characters; the whole MCP answer carries it twice.
    const answerBytes = Buffer.byteLength(JSON.stringify(result));
    expect(answerBytes).toBeLessThanOrEqual(2 * DEFAULT_RESULT_BUDGET_CHARS + 1_024);
    const structured = result.structuredContent as z.infer<typeof company>;
    expect(JSON.parse(text)).toEqual(structured);
    expect(structured.domain).toBe("acme.com");
    expect(structured.summary).toBe("A short summary.");
    expect(structured.display_name).toMatch(/^D+…\[clipped: 102,400 chars\]$/);
    for (const tag of structured.tags) expect(tag).toMatch(/…\[clipped: 20,480 chars\]$/);
    expect(callLines()[0]).toMatchObject({ outcome: "ok" });
    expect(logs().some((l) => l.msg === "result over its budget: longest fields clipped")).toBe(true);
  });

  it("a result within the budget is untouched; a tool sets its own budget", async () => {
    const small = { domain: "acme.com", display_name: "Acme", tags: ["b2b"], summary: "S".repeat(2_000) };
    const { call } = await connect([vendorRead(company, () => small)]);
    expect((await call("get_company")).structuredContent).toEqual(small);
    const tight = await connect([vendorRead(company, () => small, 1_000)]);
    const clipped = await tight.call("get_company");
    expect(clipped.content[0]!.text.length).toBeLessThanOrEqual(1_000);
    expect((clipped.structuredContent as typeof small).summary).toMatch(/…\[clipped: 2,000 chars\]$/);
  });

  it("a secret across the clip boundary: scrubbed before clipping, so no prefix of it is left", async () => {
    const budget = 2_000;
    const { call } = await connect([
      vendorRead(
        company,
        () => ({
          domain: "acme.com",
          display_name: "Acme",
          tags: [],
          // Where the clip falls, the secret starts.
          summary: `${"s".repeat(1_880)}${SECRET}${"t".repeat(10_000)}`,
        }),
        budget,
      ),
    ]);
    const result = await call("get_company");
    const text = result.content[0]!.text;
    expect(text.length).toBeLessThanOrEqual(budget);
    for (let n = 4; n <= SECRET.length; n++) expect(text).not.toContain(SECRET.slice(0, n));
  });

  it("a result that cannot fit even clipped (thousands of items): a terminal error, never an unbounded answer", async () => {
    const list = z.object({ recipients: z.array(z.string()) });
    const { call, callLines } = await connect([
      vendorRead(list, () => ({ recipients: Array.from({ length: 20_000 }, (_, i) => `r${i}@acme.com`) })),
    ]);
    const result = await call("get_company");
    expect(result.isError).toBe(true);
    expect(JSON.parse(result.content[0]!.text).error).toMatchObject({
      code: "UPSTREAM_CONTRACT_VIOLATION",
      retryable: false,
      sideEffect: "none",
      details: { reason: "result_budget", budgetChars: DEFAULT_RESULT_BUDGET_CHARS },
    });
    expect(Buffer.byteLength(JSON.stringify(result))).toBeLessThan(4_096);
    expect(callLines()[0]).toMatchObject({ outcome: "UPSTREAM_CONTRACT_VIOLATION" });
  });

  it("a clip the output schema refuses (a pattern) is an error, not an invalid result", async () => {
    const coded = z.object({ code: z.string().regex(/^[a-z]+$/) });
    const { call } = await connect([vendorRead(coded, () => ({ code: "a".repeat(100_000) }))]);
    const result = await call("get_company");
    expect(result.isError).toBe(true);
    expect(JSON.parse(result.content[0]!.text).error.code).toBe("UPSTREAM_CONTRACT_VIOLATION");
  });
});

describe("fitResultBudget", () => {
  it("clips the longest strings to one common length, keeping named top-level fields", () => {
    const out = fitResultBudget(
      { idempotency_key: "k".repeat(300), a: "x".repeat(5_000), b: "y".repeat(50), n: 7 },
      1_000,
      ["idempotency_key"],
    );
    expect(out.fits).toBe(true);
    if (!out.fits) return;
    expect(out.clippedFields).toBe(1);
    expect(out.structured.idempotency_key).toBe("k".repeat(300));
    expect(out.structured.b).toBe("y".repeat(50));
    expect(out.structured.n).toBe(7);
    expect(String(out.structured.a).endsWith(clipMarker(5_000))).toBe(true);
    expect(JSON.stringify(out.structured).length).toBeLessThanOrEqual(1_000);
    expect(JSON.stringify(out.structured).length).toBe(out.chars);
  });

  it("never splits a surrogate pair, and counts JSON escapes", () => {
    const out = fitResultBudget({ a: "😀".repeat(10_000), b: '"'.repeat(10_000) }, 2_000);
    expect(out.fits).toBe(true);
    if (!out.fits) return;
    expect(JSON.stringify(out.structured).length).toBeLessThanOrEqual(2_000);
    expect(String(out.structured.a)).toMatch(/^(😀)+…\[clipped: 20,000 chars\]$/u);
  });
});

describe("every echoed name in an error is bounded", () => {
  const tool = vendorRead(company, () => ({ domain: "a.com", display_name: "A", tags: [], summary: "" }));

  it("an unknown tool name of 1 MB: the answer stays under 2 KB", async () => {
    const { client } = await connect([tool]);
    const name = "n".repeat(1 << 20);
    let answer: unknown;
    try {
      answer = await client.callTool({ name, arguments: {} });
    } catch (error) {
      answer = { message: (error as Error).message, data: (error as { data?: unknown }).data };
    }
    const bytes = Buffer.byteLength(JSON.stringify(answer));
    expect(bytes).toBeLessThan(2_048);
    expect(JSON.stringify(answer)).toMatch(/Unknown tool/);
    expect(JSON.stringify(answer)).toContain(`(${1 << 20} chars)`);
  });

  it("an unknown tool name holding a secret is scrubbed before it is cut", async () => {
    const { client } = await connect([tool]);
    const name = `${"n".repeat(90)}${SECRET}${"m".repeat(500)}`;
    const answer = await client.callTool({ name, arguments: {} }).then(
      (r) => JSON.stringify(r),
      (error: Error) => error.message,
    );
    expect(answer).toMatch(/Unknown tool/);
    for (let n = 4; n <= SECRET.length; n++) expect(answer).not.toContain(SECRET.slice(0, n));
  });
});
