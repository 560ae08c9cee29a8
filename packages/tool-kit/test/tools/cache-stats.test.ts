import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createServerMetrics } from "../../src/server/metrics.js";
import { createTestRuntime } from "../../src/testing/index.js";
import { compileTool } from "../../src/tools/compile-tool.js";
import { type AnyTool, defineTool, noteCacheLookup, type ToolCallLine } from "../../src/tools/index.js";
import { runToolCall } from "../../src/tools/run-tool-call.js";
import { sample } from "../server/http-harness.js";

/** A read tool that reports one cache lookup per key: keys starting with "h" are hits. */
const lookupTool = defineTool({
  name: "look_up",
  title: "Look up",
  description: "Looks keys up in a cache (test fixture).",
  kind: "read",
  input: z.object({ keys: z.array(z.string()) }),
  output: z.object({ n: z.number() }),
  async handler(args, ctx) {
    for (const key of args.keys) noteCacheLookup(ctx.stats, key.startsWith("h") ? "hit" : "miss");
    return { n: args.keys.length };
  },
}) as AnyTool;

describe("cache lookups in the call log and the metrics", () => {
  it("says whether a call was served from the cache (hit, miss or mixed) with the counts", async () => {
    const test = createTestRuntime();
    const seen: ToolCallLine[] = [];
    test.runtime.onToolCall = (line) => seen.push(line);
    const tool = compileTool(lookupTool);
    await runToolCall(tool, { keys: ["h1"] }, test.runtime);
    await runToolCall(tool, { keys: ["m1", "m2"] }, test.runtime);
    await runToolCall(tool, { keys: ["h1", "m1", "h2"] }, test.runtime);
    await runToolCall(tool, { keys: [] }, test.runtime);
    const lines = test.callLines();
    expect(lines[0]).toMatchObject({ cache: "hit", cacheHits: 1, cacheMisses: 0 });
    expect(lines[1]).toMatchObject({ cache: "miss", cacheHits: 0, cacheMisses: 2 });
    expect(lines[2]).toMatchObject({ cache: "mixed", cacheHits: 2, cacheMisses: 1 });
    expect(lines[3]).not.toHaveProperty("cache");

    const metrics = createServerMetrics({ server: "test", env: "sandbox" });
    for (const line of seen) metrics.observeToolCall(line);
    const text = await metrics.render();
    const labels = { server: "test", env: "sandbox", tool: "look_up" };
    expect(sample(text, "gtm_cache_lookups_total", { ...labels, result: "hit" })).toBe(3);
    expect(sample(text, "gtm_cache_lookups_total", { ...labels, result: "miss" })).toBe(3);
    expect(sample(text, "gtm_tool_calls_total", { ...labels, outcome: "ok", replayed: "false" })).toBe(4);
  });
});
