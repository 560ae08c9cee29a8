import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore } from "@gtm-mcp/tool-kit/idempotency";
import { connectClient, createTestRuntime, type MockVendor, mockVendor } from "@gtm-mcp/tool-kit/testing";
import { staticCredential } from "@gtm-mcp/tool-kit/upstream";
import type { Client } from "@modelcontextprotocol/client";
import { afterEach } from "vitest";
import type { CompanyFieldName } from "../../src/model/company-fields.js";
import { createHubSpotClient, createServer } from "../../src/server.js";
import { API_VERSION } from "./api-version.js";

/** The stubbed HubSpot's base URL (no real host: the MockAgent refuses the network). */
export const BASE_URL = "https://api.hubapi.test";
/** The token every test client sends. */
export const TOKEN = "pat-na1-test-token-0123456789";
/** A fixed "now" (2026-11-21T12:00:00Z) for time windows. */
export const NOW = Date.parse("2026-11-21T12:00:00Z");

// biome-ignore lint/suspicious/noExplicitAny: tests read structuredContent field by field; each field they use is asserted
type Structured = any;
type CallResult = Awaited<ReturnType<Client["callTool"]>>;

/** The error envelope of a failed call (its JSON text). */
export interface Envelope {
  code: string;
  message: string;
  retryable: boolean;
  retryAfterMs?: number;
  field?: string;
  sideEffect: string;
  upstream?: { system: string; status?: number; requestId?: string };
  details?: Record<string, unknown>;
  idempotencyKey?: string;
  replayed?: boolean;
}

/** A connected CRM server over a real MCP client, against a stubbed HubSpot. */
export interface Crm {
  client: Client;
  hubspot: MockVendor;
  lines: string[];
  callLines(): Array<Record<string, unknown>>;
  /** Calls a tool; `data` is structuredContent on success, `error` the envelope on failure. */
  call(
    name: string,
    args: Record<string, unknown>,
  ): Promise<{ result: CallResult; data?: Structured; error?: Envelope }>;
}

/** Options of {@link connectCrm}. */
export interface ConnectOptions {
  writesEnabled?: boolean;
  token?: string;
  updatableFields?: CompanyFieldName[];
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Builds the server exactly as main.ts does, but with a MockAgent HubSpot and an in-memory MCP link. */
export async function connectCrm(options: ConnectOptions = {}): Promise<Crm> {
  const dir = mkdtempSync(join(tmpdir(), "crm-test-"));
  const token = options.token ?? TOKEN;
  const vendor = mockVendor(BASE_URL);
  const store = await openStore({
    url: `sqlite:${join(dir, "state.sqlite")}`,
    server: "crm",
    env: "sandbox",
  });
  const test = createTestRuntime({
    server: "crm",
    store,
    writesEnabled: options.writesEnabled ?? true,
    secrets: [token],
  });
  const hubspot = createHubSpotClient({
    baseUrl: BASE_URL,
    apiVersion: API_VERSION,
    credential: staticCredential(token),
    logger: test.runtime.logger,
    scrub: test.runtime.scrubber.text,
    dispatcher: vendor.dispatcher,
    backoff: { initialMs: 10, maxMs: 40 },
  });
  const server = createServer({
    hubspot,
    runtime: test.runtime,
    now: () => NOW,
    ...(options.updatableFields ? { updatableFields: options.updatableFields } : {}),
  });
  const { client, close } = await connectClient(server, "crm-test");
  cleanups.push(async () => {
    await close();
    await hubspot.close();
    await store.close();
    await vendor.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    client,
    hubspot: vendor,
    lines: test.lines,
    callLines: test.callLines,
    async call(name, args) {
      const result = await client.callTool({ name, arguments: args });
      if (result.isError) {
        const text = (result.content as Array<{ text: string }>)[0]!.text;
        return { result, error: JSON.parse(text).error as Envelope };
      }
      return { result, data: result.structuredContent };
    },
  };
}
