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
});
