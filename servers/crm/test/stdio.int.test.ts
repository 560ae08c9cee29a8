import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { readErrorEnvelope, spawnStdioServer } from "@gtm-mcp/tool-kit/testing";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type HubSpotStub, startHubSpotStub } from "./support/hubspot-stub.js";

const entry = join(dirname(fileURLToPath(import.meta.url)), "..", "dist", "main.js");
const TOKEN = "pat-na1-E2E-CANARY-0f8e7d6c5b4a";
const PORTAL = 4242421;
let dir: string;
let stub: HubSpotStub;

beforeAll(() => {
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`pnpm build\` first (pnpm test does)`);
});
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "crm-stdio-"));
  stub = await startHubSpotStub({ portalId: PORTAL, token: TOKEN });
});
afterEach(async () => {
  await stub.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("the built CRM server over stdio (staging, writes enabled)", () => {
  it("checks the portal, serves a read and an idempotent write to a real MCP client, and logs no secret", async () => {
    const crm = await spawnStdioServer({
      entry,
      clientName: "e2e",
      env: {
        GTM_ENV: "staging",
        GTM_ENABLE_WRITES: "true",
        GTM_STATE_URL: `sqlite:${join(dir, "state.sqlite")}`,
        GTM_LOG_LEVEL: "debug",
        HUBSPOT_BASE_URL: stub.url,
        HUBSPOT_PORTAL_ID: String(PORTAL),
        HUBSPOT_ACCESS_TOKEN: TOKEN,
      },
    });
    const { client } = crm;
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toEqual(
        expect.arrayContaining(["get_account", "log_activity_note", "upsert_lead"]),
      );

      const read = await client.callTool({ name: "get_account", arguments: { domain: "acme.com" } });
      expect(read.isError).toBeFalsy();
      expect(read.structuredContent).toMatchObject({
        ambiguous: false,
        account: { id: "42", name: "Acme", domain: "acme.com" },
      });

      const missing = await client.callTool({ name: "get_account", arguments: { account_id: "999" } });
      expect(readErrorEnvelope(missing)).toMatchObject({ code: "NOT_FOUND", field: "account_id" });

      const noteArgs = {
        account_id: "42",
        body: "Renewal call booked",
        occurrence: "2026-11-21",
        timestamp: "2026-11-21T09:00:00Z",
      };
      const write = await client.callTool({ name: "log_activity_note", arguments: noteArgs });
      expect(write.isError).toBeFalsy();
      expect(write.structuredContent).toMatchObject({ account_id: "42", contact_id: null, replayed: false });
      const noteId = (write.structuredContent as { note_id: string }).note_id;
      expect(stub.notes.get(noteId)?.body).toMatch(/^Renewal call booked\n\n\[gtm-mcp ref [0-9a-f]{24}\]$/);

      const again = await client.callTool({ name: "log_activity_note", arguments: noteArgs });
      expect(again.structuredContent).toMatchObject({ note_id: noteId, replayed: true });
      expect(stub.notes.size).toBe(1);

      const activity = await client.callTool({
        name: "list_account_activity",
        arguments: { account_id: "42", days: 365 },
      });
      expect(activity.structuredContent).toMatchObject({
        notes: [{ id: noteId, timestamp: "2026-11-21T09:00:00.000Z" }],
      });
    } finally {
      await client.close();
    }
    expect(stub.requests[0]!.pathname).toBe("/account-info/2026-09/details");
    expect(stub.requests.every((r) => r.headers.authorization === `Bearer ${TOKEN}`)).toBe(true);
    expect(crm.stderr()).toContain('"event":"tool_call"');
    expect(crm.stderr()).not.toContain(TOKEN);
  });
});
