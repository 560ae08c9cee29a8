import { describe, expect, it } from "vitest";
import { createTestRuntime } from "../../src/testing/index.js";
import { compileTool } from "../../src/tools/compile-tool.js";
import type { AnyTool, ToolCallLine } from "../../src/tools/index.js";
import { runToolCall } from "../../src/tools/run-tool-call.js";
import { countContacts, driftingRead, failingRead, stuckRead } from "./fixture-tools.js";

const call = async (tool: AnyTool, args: unknown, secrets: string[] = []) => {
  const test = createTestRuntime({ secrets });
  const result = await runToolCall(compileTool(tool), args, test.runtime);
  const text = (result.content as Array<{ text: string }>)[0]!.text;
  return { result, body: JSON.parse(text), ...test };
};

describe("runToolCall", () => {
  it("names the JSON path of a bad nested argument", async () => {
    const { result, body } = await call(countContacts as AnyTool, {
      contacts: [{ email: "a@x.com" }, { email: "nope" }],
    });
    expect(result.isError).toBe(true);
    expect(body.error).toMatchObject({
      code: "INVALID_INPUT",
      field: "contacts[1].email",
      retryable: false,
      sideEffect: "none",
    });
    expect(body.error.message).toMatch(/^contacts\[1\]\.email: /);
  });

  it("treats missing arguments as an empty object and names the first required field", async () => {
    const { body } = await call(countContacts as AnyTool, undefined);
    expect(body.error).toMatchObject({ code: "INVALID_INPUT", field: "contacts" });
  });

  it("answers a result that drifted from the output schema with UPSTREAM_CONTRACT_VIOLATION, logged loudly", async () => {
    const { body, logs } = await call(driftingRead as AnyTool, {});
    expect(body.error).toMatchObject({ code: "UPSTREAM_CONTRACT_VIOLATION", retryable: false });
    const drift = logs().find((l) => l.msg === "result does not match the tool's output schema");
    expect(drift).toMatchObject({ level: "error", drift: [expect.stringMatching(/^name: /)] });
  });

  it("gives up on a handler that ignores its deadline with UPSTREAM_TIMEOUT", async () => {
    const started = Date.now();
    const { body } = await call(stuckRead as AnyTool, {});
    expect(body.error).toMatchObject({ code: "UPSTREAM_TIMEOUT", retryable: true, sideEffect: "none" });
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it("logs long string arguments abridged, with their length", async () => {
    const note = "x".repeat(2_000);
    const { callLines } = await call(countContacts as AnyTool, { contacts: [], note });
    const logged = (callLines()[0]!.args as { note: string }).note;
    expect(logged).toHaveLength(500 + "…(2000 chars)".length);
    expect(logged.endsWith("…(2000 chars)")).toBe(true);
  });

  it("writes one call-log line with the fields of design.md §1.6", async () => {
    const { callLines } = await call(countContacts as AnyTool, { contacts: [{ email: "a@x.com" }] });
    expect(callLines()).toHaveLength(1);
    expect(callLines()[0]).toMatchObject({
      event: "tool_call",
      server: "test",
      env: "sandbox",
      runId: "test-run",
      tool: "count_contacts",
      args: { contacts: [{ email: "a@x.com" }] },
      outcome: "ok",
      retryable: false,
      replayed: false,
      attempts: 0,
      retried: false,
    });
    expect(typeof callLines()[0]!.durationMs).toBe("number");
    expect(typeof callLines()[0]!.time).toBe("string");
  });

  it("hands the observer (metrics) the call-log line of every call, failures included", async () => {
    const test = createTestRuntime({ secrets: ["sk-observed-secret"] });
    const seen: ToolCallLine[] = [];
    test.runtime.onToolCall = (line) => seen.push(line);
    await runToolCall(compileTool(countContacts as AnyTool), { contacts: [] }, test.runtime);
    await runToolCall(
      compileTool(countContacts as AnyTool),
      { contacts: "sk-observed-secret" },
      test.runtime,
    );
    expect(seen.map((l) => [l.tool, l.outcome, l.replayed])).toEqual([
      ["count_contacts", "ok", false],
      ["count_contacts", "INVALID_INPUT", false],
    ]);
    // The very line that was logged (minus the logger's own fields), scrubbed the same way.
    const logged = test.callLines().map(({ level, time, msg, server, env, runId, ...rest }) => rest);
    expect(logged).toEqual(JSON.parse(JSON.stringify(seen)));
    expect(JSON.stringify(seen)).not.toContain("sk-observed-secret");
  });

  it("gives the same result when the observer throws", async () => {
    const test = createTestRuntime();
    test.runtime.onToolCall = () => {
      throw new Error("metrics broke");
    };
    const result = await runToolCall(compileTool(countContacts as AnyTool), { contacts: [] }, test.runtime);
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toEqual({ count: 0 });
  });
});

describe("canary: a configured secret never reaches a result or a log line", () => {
  const secret = "canary-5ecret-7f3a9b";

  it("holds across successes, tool errors, exceptions, echoed details and secret-bearing arguments", async () => {
    const tool = failingRead(secret);
    const outputs: string[] = [];
    const test = createTestRuntime({ secrets: [secret] });
    const compiled = compileTool(tool);
    for (const how of ["tool-error", "exception", "echo-details"]) {
      outputs.push(JSON.stringify(await runToolCall(compiled, { how, api_key: secret }, test.runtime)));
    }
    outputs.push(
      JSON.stringify(
        await runToolCall(
          compileTool(countContacts as AnyTool),
          { contacts: [], note: `remember ${secret}` },
          test.runtime,
        ),
      ),
    );
    // An argument that fails validation is logged too.
    outputs.push(JSON.stringify(await runToolCall(compiled, { how: secret }, test.runtime)));

    expect(test.callLines()).toHaveLength(5);
    for (const text of [...outputs, ...test.lines]) expect(text).not.toContain(secret);
    // The failures are still described: the redaction marker stands where the secret was.
    expect(outputs[0]).toContain("invalid token [REDACTED]");
    expect(test.lines.some((l) => l.includes("[REDACTED]"))).toBe(true);
  });
});
