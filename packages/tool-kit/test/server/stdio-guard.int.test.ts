import { describe, expect, it } from "vitest";
import { waitFor } from "../../src/testing/index.js";
import { startRawStdio } from "./stdio-harness.js";

describe("stdio: messages the SDK would drop unanswered", () => {
  it("answers a batch, a line that is not JSON, a non-object and a too-deep line, and serves the next request", async () => {
    const server = await startRawStdio();
    const call = { jsonrpc: "2.0", id: 7, method: "tools/list", params: {} };
    server.send([call, { ...call, id: 8 }]);
    server.sendLine("{not json");
    server.sendLine("42");
    server.sendLine(`${"[".repeat(5_000)}${"]".repeat(5_000)}`);
    server.send({ ...call, id: 9 });
    await waitFor(() => server.answers().some((a) => a.id === 9), 15_000, "tools/list");
    const refusals = server.answers().filter((a) => a.id === null);
    expect(refusals.map((a) => a.error?.code)).toEqual([-32600, -32700, -32600, -32600]);
    expect(refusals[0]?.error?.message).toMatch(/batches are not supported/);
    expect(refusals[3]?.error?.message).toMatch(/nested deeper than 64 levels/);
    // The batch's requests were not run one by one behind the client's back.
    expect(server.answers().some((a) => a.id === 7 || a.id === 8)).toBe(false);
    expect(server.answers().find((a) => a.id === 9)?.result.tools).toHaveLength(1);
    expect(await server.end()).toBe(0);
    expect(server.stderr()).not.toMatch(/Maximum call stack/);
  });

  it("answers a tools/call nested deeper than 64 levels with the request's own id (the client is not left waiting)", async () => {
    const server = await startRawStdio();
    let deep: unknown = "x";
    for (let i = 0; i < 200; i++) deep = { a: deep };
    // The id after the deep arguments, as a client may order its keys; and a string id.
    server.sendLine(
      `{"jsonrpc":"2.0","method":"tools/call","params":{"name":"slow","arguments":${JSON.stringify(deep)}},"id":41}`,
    );
    server.send({
      jsonrpc: "2.0",
      id: "deep-42",
      method: "tools/call",
      params: { name: "slow", arguments: deep },
    });
    server.send({ jsonrpc: "2.0", id: 43, method: "tools/list", params: {} });
    await waitFor(() => server.answers().some((a) => a.id === 43), 15_000, "tools/list");
    await waitFor(() => server.answers().some((a) => a.id === "deep-42"), 15_000, "the deep call's answer");
    for (const id of [41, "deep-42"]) {
      const answer = server.answers().find((a) => a.id === id);
      expect(answer?.error).toEqual({
        code: -32600,
        message: "Invalid Request: JSON nested deeper than 64 levels",
      });
    }
    expect(server.answers().filter((a) => a.id === null)).toEqual([]);
    expect(await server.end()).toBe(0);
  });
});
