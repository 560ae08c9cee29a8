import { describe, expect, it } from "vitest";
import { topLevelId } from "../../src/server/json-depth.js";
import { createStdioGuard, type GuardAnswer } from "../../src/server/stdio-guard.js";

const deep = (levels: number) => `${"[".repeat(levels)}${"]".repeat(levels)}`;

describe("topLevelId: a message's own id, read without parsing or recursion", () => {
  it.each([
    [`{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"arguments":${deep(100)}}}`, 7],
    [`{"method":"tools/call","params":{"arguments":${deep(100)}},"id":"req-9"}`, "req-9"],
    [`  { "id" : -1.5e3 , "params": {} }`, -1500],
    [`{"params":{"id":1,"x":{"id":2}},"id":3}`, 3],
    [`{"params":{"note":"\\"id\\":5"},"i\\u0064":"esc"}`, "esc"],
    [`{"method":"x","params":${deep(100)}}`, null],
    [`{"id":null}`, null],
    [`{"id":{"a":1}}`, null],
    [`{"id":"${"x".repeat(300)}"}`, null],
    [`[{"id":1}]`, null],
    [`{"id":"unterminated`, null],
    [deep(100_000), null],
  ])("%#", (text, id) => {
    expect(topLevelId(text)).toBe(id);
  });

  it("a deep line with a megabyte of nesting costs a loop, not the stack", () => {
    const text = `{"params":${"[".repeat(1_000_000)}${"]".repeat(1_000_000)},"id":12}`;
    expect(topLevelId(text)).toBe(12);
  });
});

describe("createStdioGuard: a too-deep request is answered to its own id", () => {
  it("answers with the id when it can be read, null when it cannot", async () => {
    const answers: GuardAnswer[] = [];
    const guard = createStdioGuard((a) => answers.push(a));
    const passed: string[] = [];
    guard.on("data", (chunk: Buffer) => passed.push(chunk.toString()));
    guard.write(
      `{"jsonrpc":"2.0","id":99,"method":"tools/call","params":{"name":"t","arguments":${deep(70)}}}\n`,
    );
    guard.write(`${deep(70)}\n`);
    guard.write(`{"jsonrpc":"2.0","id":100,"method":"tools/list"}\n`);
    guard.end();
    await new Promise((resolve) => guard.on("finish", resolve));
    expect(answers.map((a) => a.id)).toEqual([99, null]);
    expect(answers[0]!.error.message).toMatch(/nested deeper than 64 levels/);
    expect(passed.join("")).toContain('"id":100');
  });
});
