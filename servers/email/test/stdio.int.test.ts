import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  type SpawnedStdioServer,
  type SpawnStdioServerOptions,
  spawnStdioServer,
} from "@gtm-mcp/tool-kit/testing";
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

/** The built server over stdio with a real client; `answer` plays the person (form elicitation). */
function spawnEmail(
  env: Record<string, string>,
  answer?: () => ElicitResult,
  clientOptions?: SpawnStdioServerOptions["clientOptions"],
): Promise<SpawnedStdioServer> {
  return spawnStdioServer({
    entry,
    env: {
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
    ...(answer ? { elicit: () => answer() } : {}),
    ...(clientOptions ? { clientOptions } : {}),
  });
}

const draft = (to: string, occurrence: string) => ({
  to,
  account_domain: "acme.test",
  subject: "Quick question",
  body: "Hi,\n\nA short note.\n",
  occurrence,
});

async function draftId(server: SpawnedStdioServer, to: string, occurrence: string): Promise<string> {
  const created = await server.call<{ draft_id: string }>("create_outreach_draft", draft(to, occurrence));
  expect(created.error).toBeUndefined();
  return created.data!.draft_id;
}

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
      const id = await draftId(server, "jane@acme.test", "o1");
      const declined = await server.call("send_draft", { draft_id: id });
      expect(declined.error).toMatchObject({
        code: "PERMISSION_DENIED",
        details: { confirmation: "declined" },
      });
      expect(stub.sent).toHaveLength(0);

      reply = { action: "accept", content: { confirm: true } };
      const accepted = await server.call("send_draft", { draft_id: id });
      expect(accepted.error).toBeUndefined();
      expect(accepted.data).toMatchObject({ confirmed_by_person: true, to: ["jane@acme.test"] });
      expect(stub.sent).toHaveLength(1);
      expect(asked).toHaveLength(2);

      const threads = await server.call<{ threads: unknown[] }>("list_recent_threads", {
        contact_email: "jane@acme.test",
        days: 7,
      });
      expect(threads.data!.threads).toHaveLength(1);
    } finally {
      await server.close();
    }
    const log = server.stderr();
    expect(server.logs().some((line) => line.event === "tool_call")).toBe(true);
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
      const id = await draftId(server, "jane@acme.test", "o1");
      const sent = await server.call("send_draft", { draft_id: id });
      expect(sent.error).toBeUndefined();
      expect(stub.sent).toHaveLength(1);
    } finally {
      await server.close();
    }
  });

  it("a client without elicitation gets a terminal error and nothing is sent", async () => {
    const server = await spawnEmail({ EMAIL_SEND_MODE: "confirm" });
    try {
      const id = await draftId(server, "jane@acme.test", "o1");
      const refused = await server.call("send_draft", { draft_id: id });
      expect(refused.error).toMatchObject({
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
      const idA = await draftId(a, "jane@acme.test", "o1");
      const idB = await draftId(b, "jane@acme.test", "o2");
      const [sa, sb] = await Promise.all([
        a.call("send_draft", { draft_id: idA }),
        b.call("send_draft", { draft_id: idB }),
      ]);
      const outcomes = [sa, sb].map((r) => r.error?.code ?? "sent").sort();
      expect(outcomes).toEqual(["CAP_EXCEEDED", "sent"]);
      expect(stub.sent).toHaveLength(1);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
