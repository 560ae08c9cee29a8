import { z } from "zod";
import { ToolError } from "../../src/errors/index.js";
import { type AnyTool, defineTool } from "../../src/tools/index.js";

/** A read tool with a nested input, to check field paths. */
export const countContacts = defineTool({
  name: "count_contacts",
  title: "Count contacts",
  description: "Counts the contacts given.",
  kind: "read",
  input: z.object({
    contacts: z.array(z.object({ email: z.email().describe("Email") })).describe("Contacts"),
    note: z.string().optional().describe("A note"),
  }),
  output: z.object({ count: z.number().int() }),
  async handler({ contacts }) {
    return { count: contacts.length };
  },
});

/** A read tool whose "vendor" answers a drifted shape. */
export const driftingRead = defineTool({
  name: "drifting_read",
  title: "Drifting read",
  description: "Returns a shape that does not match its output schema.",
  kind: "read",
  input: z.object({}),
  output: z.object({ name: z.string() }),
  async handler() {
    return { name: 42 } as unknown as { name: string };
  },
});

/** A read tool that ignores its deadline. */
export const stuckRead = defineTool({
  name: "stuck_read",
  title: "Stuck read",
  description: "Never answers on its own.",
  kind: "read",
  deadlineMs: 100,
  input: z.object({}),
  output: z.object({ ok: z.boolean() }),
  handler: () => new Promise<{ ok: boolean }>(() => undefined),
});

/** A read tool that fails the way it is told to. */
export function failingRead(secret: string): AnyTool {
  return defineTool({
    name: "failing_read",
    title: "Failing read",
    description: "Fails as asked.",
    kind: "read",
    input: z.object({
      how: z.enum(["tool-error", "exception", "echo-details"]).describe("How to fail"),
      api_key: z.string().optional().describe("x"),
    }),
    output: z.object({ ok: z.boolean() }),
    async handler({ how }) {
      if (how === "tool-error")
        throw new ToolError("PERMISSION_DENIED", `vendor answered 401: invalid token ${secret}`, {
          upstream: { system: "vendor", status: 401 },
        });
      if (how === "echo-details")
        throw new ToolError("UPSTREAM_REJECTED", "rejected", { details: { body: `{"token":"${secret}"}` } });
      throw new Error(`socket closed while sending Authorization: Bearer ${secret}`);
    },
  }) as AnyTool;
}
