import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import type { ElicitResult } from "@modelcontextprotocol/server";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type GmailStub, startGmailStub } from "./support/gmail-stub.js";

const entry = join(dirname(fileURLToPath(import.meta.url)), "..", "dist", "main.js");
const SECRET = "gocspx-E2E-CANARY-client-secret-91ab";
const REFRESH = "1//0g-E2E-CANARY-refresh-token-77cd";
let dir: string;
let stub: GmailStub;

beforeAll(() => {
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`pnpm build\` first (pnpm test does)`);
});
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "email-stdio-"));
  stub = await startGmailStub({ emailAddress: "rep@seller.test" });
});
afterEach(async () => {
  await stub.close();
  rmSync(dir, { recursive: true, force: true });
});

type Result = Awaited<ReturnType<Client["callTool"]>>;
const errorOf = (result: Result) => JSON.parse((result.content as Array<{ text: string }>)[0]!.text).error;

interface Spawned {
  client: Client;
  stderr: () => string;
  close(): Promise<void>;
}

/** The built server over stdio with a real client; `answer` plays the person (form elicitation). */
async function spawnEmail(
  env: Record<string, string>,
  answer?: () => ElicitResult,
  clientOptions: ConstructorParameters<typeof Client>[1] = {},
): Promise<Spawned> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [entry],
    env: {
      PATH: process.env.PATH ?? "",
      GTM_ENV: "sandbox",
      GTM_STATE_URL: `sqlite:${join(dir, "state.sqlite")}`,
      GTM_LOG_LEVEL: "debug",
      GMAIL_BASE_URL: stub.baseUrl,
      GMAIL_TOKEN_URL: stub.tokenUrl,
      GMAIL_CLIENT_ID: "e2e.apps.googleusercontent.com",
      GMAIL_CLIENT_SECRET: SECRET,
      GMAIL_REFRESH_TOKEN: REFRESH,
      ...env,
    },
    stderr: "pipe",
  });
  let stderr = "";
  transport.stderr?.on("data", (chunk) => {
    stderr += chunk;
  });
  const client = new Client(
    { name: "e2e", version: "1.0.0" },
    { ...clientOptions, ...(answer ? { capabilities: { elicitation: { form: {} } } } : {}) },
  );
  if (answer) client.setRequestHandler("elicitation/create", async () => answer());
  await client.connect(transport);
  return { client, stderr: () => stderr, close: () => client.close() };
}

const draft = (to: string, occurrence: string) => ({
  to,
  account_domain: "acme.test",
  subject: "Quick question",
  body: "Hi,\n\nA short note.\n",
  occurrence,
});

describe("the built email server over stdio", () => {
  it("drafts, then sends only when the person accepts (form elicitation); a decline sends nothing", async () => {
    let reply: ElicitResult = { action: "decline" };
    const asked: string[] = [];
    const server = await spawnEmail({ EMAIL_SEND_MODE: "confirm" }, () => {
      asked.push("asked");
      return reply;
    });
    try {
      const { tools } = await server.client.listTools();
      expect(tools.map((t) => t.name).sort()).toEqual([
        "create_outreach_draft",
        "get_draft",
        "list_recent_threads",
        "send_draft",
      ]);
      const created = await server.client.callTool({
        name: "create_outreach_draft",
        arguments: draft("jane@acme.test", "o1"),
      });
      expect(created.isError).toBeFalsy();
      const draftId = (created.structuredContent as { draft_id: string }).draft_id;

      const declined = await server.client.callTool({ name: "send_draft", arguments: { draft_id: draftId } });
      expect(errorOf(declined)).toMatchObject({
        code: "PERMISSION_DENIED",
        details: { confirmation: "declined" },
      });
      expect(stub.sent).toHaveLength(0);

      reply = { action: "accept", content: { confirm: true } };
      const accepted = await server.client.callTool({ name: "send_draft", arguments: { draft_id: draftId } });
      expect(accepted.isError).toBeFalsy();
      expect(accepted.structuredContent).toMatchObject({ confirmed_by_person: true, to: ["jane@acme.test"] });
      expect(stub.sent).toHaveLength(1);
      expect(asked).toHaveLength(2);

      const threads = await server.client.callTool({
        name: "list_recent_threads",
        arguments: { contact_email: "jane@acme.test", days: 7 },
      });
      expect((threads.structuredContent as { threads: unknown[] }).threads).toHaveLength(1);
    } finally {
      await server.close();
    }
    const log = server.stderr();
    expect(log).toContain('"event":"tool_call"');
    for (const canary of [SECRET, REFRESH]) expect(log).not.toContain(canary);
    expect(log).not.toMatch(/ya29\.stub-/);
  });

  it("a client pinned to the 2026-07-28 revision answers input_required and the send goes through", async () => {
    const server = await spawnEmail(
      { EMAIL_SEND_MODE: "confirm" },
      () => ({ action: "accept", content: { confirm: true } }),
      { versionNegotiation: { mode: { pin: "2026-07-28" } } },
    );
    try {
      const created = await server.client.callTool({
        name: "create_outreach_draft",
        arguments: draft("jane@acme.test", "o1"),
      });
      const draftId = (created.structuredContent as { draft_id: string }).draft_id;
      const sent = await server.client.callTool({ name: "send_draft", arguments: { draft_id: draftId } });
      expect(sent.isError, JSON.stringify(sent.content)).toBeFalsy();
      expect(stub.sent).toHaveLength(1);
    } finally {
      await server.close();
    }
  });

  it("a client without elicitation gets a terminal error and nothing is sent", async () => {
    const server = await spawnEmail({ EMAIL_SEND_MODE: "confirm" });
    try {
      const created = await server.client.callTool({
        name: "create_outreach_draft",
        arguments: draft("jane@acme.test", "o1"),
      });
      const draftId = (created.structuredContent as { draft_id: string }).draft_id;
      const refused = await server.client.callTool({ name: "send_draft", arguments: { draft_id: draftId } });
      expect(errorOf(refused)).toMatchObject({
        code: "PERMISSION_DENIED",
        retryable: false,
        details: { confirmation: "unsupported" },
      });
      expect(stub.sent).toHaveLength(0);
    } finally {
      await server.close();
    }
  });

  it("holds a recipient's cooldown across two server processes of two runs sharing the state file", async () => {
    const a = await spawnEmail({ EMAIL_SEND_MODE: "on", GTM_RUN_ID: "run-a" });
    const b = await spawnEmail({ EMAIL_SEND_MODE: "on", GTM_RUN_ID: "run-b" });
    try {
      const first = await a.client.callTool({
        name: "create_outreach_draft",
        arguments: draft("jane@acme.test", "o1"),
      });
      const second = await b.client.callTool({
        name: "create_outreach_draft",
        arguments: draft("jane@acme.test", "o2"),
      });
      const idA = (first.structuredContent as { draft_id: string }).draft_id;
      const idB = (second.structuredContent as { draft_id: string }).draft_id;
      const [sa, sb] = await Promise.all([
        a.client.callTool({ name: "send_draft", arguments: { draft_id: idA } }),
        b.client.callTool({ name: "send_draft", arguments: { draft_id: idB } }),
      ]);
      const outcomes = [sa, sb].map((r) => (r.isError ? errorOf(r).code : "sent")).sort();
      expect(outcomes).toEqual(["CAP_EXCEEDED", "sent"]);
      expect(stub.sent).toHaveLength(1);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
