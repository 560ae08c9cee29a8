import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Client as ClientV1 } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport as StdioV1 } from "@modelcontextprotocol/sdk/client/stdio.js";
import { ElicitRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type GmailStub, startGmailStub } from "./support/gmail-stub.js";

const entry = join(dirname(fileURLToPath(import.meta.url)), "..", "dist", "main.js");
let dir: string;
let stub: GmailStub;

beforeAll(() => {
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`pnpm build\` first (pnpm test does)`);
});
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "email-v1-"));
  stub = await startGmailStub();
});
afterEach(async () => {
  await stub.close();
  rmSync(dir, { recursive: true, force: true });
});

type V1Result = {
  isError?: boolean;
  structuredContent?: Record<string, unknown>;
  content: Array<{ text: string }>;
};

describe("a v1 client (@modelcontextprotocol/sdk)", () => {
  it("confirms a send through its elicitation handler: one question, one send", async () => {
    const client = new ClientV1(
      { name: "v1-client", version: "1.0.0" },
      { capabilities: { elicitation: {} } },
    );
    const messages: string[] = [];
    client.setRequestHandler(ElicitRequestSchema, async (request) => {
      messages.push(String(request.params.message));
      return { action: "accept", content: { confirm: true } };
    });
    await client.connect(
      new StdioV1({
        command: process.execPath,
        args: [entry],
        env: {
          PATH: process.env.PATH ?? "",
          GTM_ENV: "sandbox",
          GTM_STATE_URL: `sqlite:${join(dir, "state.sqlite")}`,
          GMAIL_BASE_URL: stub.baseUrl,
          GMAIL_TOKEN_URL: stub.tokenUrl,
          GMAIL_CLIENT_ID: "v1.apps.googleusercontent.com",
          GMAIL_CLIENT_SECRET: "gocspx-V1-client-secret",
          GMAIL_REFRESH_TOKEN: "1//0g-V1-refresh-token",
          EMAIL_SEND_MODE: "confirm",
        },
        stderr: "pipe",
      }),
    );
    try {
      const created = (await client.callTool({
        name: "create_outreach_draft",
        arguments: {
          to: "jane@acme.test",
          account_domain: "acme.test",
          subject: "Quick question",
          body: "Hi Jane,\nA short note.",
          occurrence: "o1",
        },
      })) as V1Result;
      expect(created.isError).toBeFalsy();
      const sent = (await client.callTool({
        name: "send_draft",
        arguments: { draft_id: created.structuredContent!.draft_id },
      })) as V1Result;
      expect(sent.isError, sent.content[0]?.text).toBeFalsy();
      expect(messages).toHaveLength(1);
      expect(messages[0]).toContain("To: jane@acme.test");
      expect(stub.sent).toHaveLength(1);
    } finally {
      await client.close();
    }
  });
});
