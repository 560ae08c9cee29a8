import { describe, expect, it } from "vitest";
import { connectClient, createTestRuntime } from "../../src/testing/index.js";
import { type AnyTool, createToolServer } from "../../src/tools/index.js";
import { countContacts } from "./fixture-tools.js";

function serve() {
  const { runtime } = createTestRuntime({ server: "test" });
  const server = createToolServer({
    name: "test",
    version: "0.0.0",
    tools: [countContacts as AnyTool],
    runtime,
  });
  return { runtime, server };
}

describe("createToolServer: protocol edges", () => {
  it("answers tools/list with a cursor -32602 (it never handed one out), and lists without one", async () => {
    const { client, close } = await connectClient(serve().server);
    await expect(client.listTools({ cursor: "not-a-cursor" })).rejects.toMatchObject({ code: -32602 });
    expect((await client.listTools()).tools.map((t) => t.name)).toEqual(["count_contacts"]);
    await close();
  });

  it("refuses a call arriving once shutdown began: retryable, nothing done", async () => {
    const { runtime, server } = serve();
    const { client, close } = await connectClient(server);
    runtime.tracker?.stop();
    const result = await client.callTool({ name: "count_contacts", arguments: { contacts: [] } });
    expect(result.isError).toBe(true);
    expect(result._meta?.error).toMatchObject({
      code: "UPSTREAM_UNAVAILABLE",
      retryable: true,
      sideEffect: "none",
    });
    await close();
  });
});
