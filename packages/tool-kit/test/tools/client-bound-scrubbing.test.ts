import type { ElicitRequestFormParams } from "@modelcontextprotocol/server";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { connectClient, createTestRuntime, waitFor } from "../../src/testing/index.js";
import { createToolServer, defineTool } from "../../src/tools/index.js";

/** What every configured secret in these tests looks like. */
const SECRET = "sk_live_CANARY_0123456789abcdefXYZ";
const REFRESH = "1//0gREFRESH-canary-token_ABCDEFGHIJKLMNOP";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** A read that shows a person a "draft" holding secrets, and asks to send it. */
const confirmDraft = defineTool({
  name: "confirm_draft",
  title: "Confirm draft",
  description: "Asks a person to confirm a draft.",
  kind: "read",
  input: z.object({ subject: z.string(), body: z.string() }),
  output: z.object({ confirmed: z.boolean() }),
  async handler(args, ctx) {
    if (!ctx.elicit) throw new Error("no elicit");
    const answer = await ctx.elicit({
      id: "confirm_send",
      message: `Send "${args.subject}"?\n\n${args.body}`,
      requestedSchema: {
        type: "object",
        properties: {
          confirm: { type: "boolean", title: `Send ${args.subject}`, description: args.body },
        },
        required: ["confirm"],
      },
      shown: args,
    });
    return { confirmed: answer.confirm === true };
  },
});

/** A read that reports progress quoting a vendor's status text. */
const reporter = defineTool({
  name: "report_status",
  title: "Report status",
  description: "Reports a vendor status.",
  kind: "read",
  input: z.object({ status: z.string() }),
  output: z.object({ ok: z.boolean() }),
  async handler(args, ctx) {
    await ctx.progress({ progress: 1, message: `vendor says: ${args.status}` });
    return { ok: true };
  },
});

async function connect(
  elicit?: (params: ElicitRequestFormParams) => { action: "accept"; content: { confirm: boolean } },
) {
  const test = createTestRuntime({ secrets: [SECRET, REFRESH] });
  const server = createToolServer({
    name: "t",
    version: "1.0.0",
    tools: [confirmDraft, reporter],
    runtime: test.runtime,
  });
  const connected = await connectClient(server, "person", elicit ? { elicit } : {});
  cleanups.push(connected.close);
  return connected;
}

describe("what a server sends a client besides results goes through the scrubber", () => {
  it("an elicitation prompt: the message and the requested schema's texts", async () => {
    const asked: ElicitRequestFormParams[] = [];
    const { client } = await connect((params) => {
      asked.push(params);
      return { action: "accept", content: { confirm: true } };
    });
    const result = await client.callTool({
      name: "confirm_draft",
      arguments: { subject: `Re: ${SECRET}`, body: `token=${REFRESH}; and ${encodeURIComponent(SECRET)}` },
    });
    expect(result.structuredContent).toEqual({ confirmed: true });
    expect(asked).toHaveLength(1);
    const shown = JSON.stringify(asked[0]);
    expect(shown).not.toContain("CANARY");
    expect(shown).not.toContain("REFRESH-canary");
    expect(asked[0]!.message).toBe('Send "Re: [REDACTED]"?\n\ntoken=[REDACTED]; and [REDACTED]');
    expect(asked[0]!.requestedSchema.properties.confirm).toEqual({
      type: "boolean",
      title: "Send Re: [REDACTED]",
      description: "token=[REDACTED]; and [REDACTED]",
    });
  });

  it("a progress message", async () => {
    const { client } = await connect();
    const seen: Array<{ progress: number; message?: string }> = [];
    const result = await client.callTool(
      { name: "report_status", arguments: { status: `queued; key ${SECRET}` } },
      { onprogress: (p) => seen.push(p) },
    );
    expect(result.structuredContent).toEqual({ ok: true });
    await waitFor(() => seen.length === 1);
    expect(seen).toEqual([{ progress: 1, message: "vendor says: queued; key [REDACTED]" }]);
  });

  it("a long progress message is scrubbed, then bounded (no prefix of a secret across the cut)", async () => {
    const { client } = await connect();
    const seen: Array<{ progress: number; message?: string }> = [];
    // The secret straddles character 1,000 of the message.
    const status = `${"x".repeat(1_000 - "vendor says: ".length - 10)}${SECRET}${"y".repeat(2_000)}`;
    await client.callTool(
      { name: "report_status", arguments: { status } },
      { onprogress: (p) => seen.push(p) },
    );
    await waitFor(() => seen.length === 1);
    const message = seen[0]!.message!;
    expect(message).not.toContain(SECRET.slice(0, 6));
    expect(message).toContain("[REDACTED]");
    expect(message.length).toBeLessThan(1_100);
    expect(message).toMatch(/…\(\d+ chars\)$/);
  });
});
