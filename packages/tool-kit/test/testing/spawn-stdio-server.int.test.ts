import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { readErrorEnvelope, spawnStdioServer, waitFor } from "../../src/testing/index.js";

const here = dirname(fileURLToPath(import.meta.url));
const hooks = join(here, "..", "idempotency", "fixtures", "source-hooks.mjs");
const slowServer = join(here, "..", "server", "fixtures", "slow-server.mjs");

const spawnSlow = (env: Record<string, string> = {}) =>
  spawnStdioServer({
    entry: slowServer,
    nodeArgs: ["--import", hooks],
    env: { SLOW_MS: "10", GTM_LOG_LEVEL: "info", ...env },
  });

describe("spawnStdioServer", () => {
  it("connects a real client to the spawned server: its pid, a result's data, an error's envelope, its log lines", async () => {
    const server = await spawnSlow();
    try {
      expect(server.pid).toBeGreaterThan(0);
      expect(server.pid).not.toBe(process.pid);
      const { tools } = await server.client.listTools();
      expect(tools.map((t) => t.name)).toEqual(["slow_read"]);

      const ok = await server.call<{ waitedMs: number }>("slow_read");
      expect(ok.error).toBeUndefined();
      expect(ok.data).toEqual({ waitedMs: 10 });

      const bad = await server.call("slow_read", { extra: 1 });
      expect(bad.data).toBeUndefined();
      expect(bad.error).toMatchObject({ code: "INVALID_INPUT", field: "extra", retryable: false });
      expect(readErrorEnvelope(bad.result)).toEqual(bad.error);
      // Over a real stdio pipe too, `__proto__` is refused like any unknown argument.
      const proto = await server.call("slow_read", JSON.parse('{"__proto__":{"x":1}}'));
      expect(proto.error).toMatchObject({ code: "INVALID_INPUT", field: "__proto__" });

      // A call's log line goes to stderr, a pipe read apart from the answer: wait for it.
      const callLines = () => server.logs().filter((l) => l.event === "tool_call");
      await waitFor(() => callLines().length >= 3, 30_000, "three call-log lines");
      expect(callLines()).toHaveLength(3);
      expect(server.stderr()).toContain('"tool":"slow_read"');
    } finally {
      await server.close();
    }
    await server.closed;
  });

  it("resolves `closed` once the process is killed", async () => {
    const server = await spawnSlow();
    await server.kill("SIGKILL");
    expect(() => process.kill(server.pid, 0)).toThrow();
  });

  it("rejects with the server's stderr when it refuses to start", async () => {
    await expect(spawnSlow({ GTM_ENV: "nowhere" })).rejects.toThrow(/did not start over stdio.*GTM_ENV/s);
  });
});

describe("readErrorEnvelope", () => {
  it("is undefined for a success and throws for a failure without an envelope", () => {
    expect(readErrorEnvelope({ content: [{ type: "text", text: "{}" }] })).toBeUndefined();
    expect(() => readErrorEnvelope({ isError: true, content: [{ type: "text", text: "{}" }] })).toThrow(
      /no error envelope/,
    );
  });
});
