import { describe, expect, it } from "vitest";
import { z } from "zod";
import { Secret, SecretRegistry } from "../../src/config/index.js";
import { createScrubber } from "../../src/logging/index.js";
import { connectClient, createTestRuntime } from "../../src/testing/index.js";
import { createToolServer, defineTool } from "../../src/tools/index.js";

/** A JWT as a key-pair client mints one (three base64url parts). */
const jwt = (n: number) =>
  `eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJBQ0NULlVTRVIuU0hBMjU2OmZwIiwibiI6${n}fQ.c2lnbmF0dXJl${"x".repeat(40)}${n}`;

describe("SecretRegistry.derive: credentials the server makes at run time are scrubbed", () => {
  it("a derived value is scrubbed from the moment it is registered, next to the configured secrets", () => {
    const registry = new SecretRegistry();
    registry.add(new Secret("PDL_API_KEY", "configured-key-123456"));
    const scrubber = createScrubber(() => registry.values());
    const minted = jwt(1);
    expect(scrubber.text(`cell=${minted}`)).toBe(`cell=${minted}`);
    registry.derive("SNOWFLAKE_JWT", minted);
    expect(scrubber.text(`cell=${minted}; key=configured-key-123456`)).toBe(
      "cell=[REDACTED]; key=[REDACTED]",
    );
    expect(scrubber.text(JSON.stringify({ v: minted }))).toBe('{"v":"[REDACTED]"}');
  });

  it("keeps the last five values under a name (an earlier one may still be live); re-registering is a no-op", () => {
    const registry = new SecretRegistry();
    for (let n = 1; n <= 7; n++) {
      registry.derive("SNOWFLAKE_JWT", jwt(n));
      registry.derive("SNOWFLAKE_JWT", jwt(n));
    }
    registry.derive("GMAIL_ACCESS_TOKEN", "ya29.access-token-abcdef");
    const values = registry.values();
    expect(values.filter((v) => v.startsWith("eyJ"))).toEqual([jwt(7), jwt(6), jwt(5), jwt(4), jwt(3)]);
    expect(values).toContain("ya29.access-token-abcdef");
  });

  it("a derived credential a vendor echoes into a result does not reach the client", async () => {
    const registry = new SecretRegistry();
    const test = createTestRuntime();
    const runtime = { ...test.runtime, scrubber: createScrubber(() => registry.values()) };
    const minted = jwt(9);
    const echo = defineTool({
      name: "read_cell",
      title: "Read cell",
      description: "Returns what the vendor echoed.",
      kind: "read",
      input: z.object({}),
      output: z.object({ cell: z.string() }),
      async handler() {
        registry.derive("SNOWFLAKE_JWT", minted); // minted for this request, then echoed back
        return { cell: `Authorization: Bearer ${minted}` };
      },
    });
    const server = createToolServer({ name: "t", version: "1", tools: [echo], runtime });
    const { client, close } = await connectClient(server);
    try {
      const result = await client.callTool({ name: "read_cell", arguments: {} });
      expect(result.structuredContent).toEqual({ cell: "Authorization: Bearer [REDACTED]" });
      expect(JSON.stringify(result)).not.toContain(minted.slice(0, 40));
    } finally {
      await close();
    }
  });
});
