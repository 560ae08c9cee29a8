import { describe, expect, it } from "vitest";
import { waitFor } from "../../src/testing/index.js";
import { startRawStdio } from "./stdio-harness.js";

describe("the call log over a slow stderr pipe", () => {
  it("keeps every line whole: 1 MB argument names and hundreds of calls while nobody reads stderr", async () => {
    const server = await startRawStdio();
    // The reader stops, as a busy client does: the pipe fills and writes would come back short.
    server.child.stderr.pause();
    const bigName = "n".repeat(1 << 20);
    const calls = 404;
    for (let id = 1; id <= calls; id++) {
      const args = id <= 4 ? { [bigName]: id } : { [`arg_${id}`]: "v".repeat(2_000) };
      server.send({
        jsonrpc: "2.0",
        id,
        method: "tools/call",
        params: { name: "slow_read", arguments: args },
      });
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    server.child.stderr.resume();
    await waitFor(
      () => server.answers().filter((a) => typeof a.id === "number" && a.id >= 1).length === calls,
      60_000,
      "the answers",
    );
    expect(await server.end()).toBe(0);

    const lines = server
      .stderr()
      .split("\n")
      .filter((l) => l !== "");
    const unparsable = lines.filter((l) => {
      try {
        JSON.parse(l);
        return false;
      } catch {
        return true;
      }
    });
    expect(unparsable.map((l) => `${l.slice(0, 80)}… (${l.length} chars)`)).toEqual([]);
    const toolCalls = lines.map((l) => JSON.parse(l)).filter((l) => l.event === "tool_call");
    expect(toolCalls).toHaveLength(calls);
    const [name] = Object.keys(toolCalls[0].args);
    expect(name).toMatch(/^n{128}…\(1048576 chars\)$/);
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThan(16 * 1024);
  }, 90_000);
});
