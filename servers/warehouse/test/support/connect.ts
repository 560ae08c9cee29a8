import { connectClient, createTestRuntime } from "@gtm-mcp/tool-kit/testing";
import { staticCredential } from "@gtm-mcp/tool-kit/upstream";
import type { Client } from "@modelcontextprotocol/client";
import { afterEach } from "vitest";
import { type CatalogEntry, loadCatalog } from "../../src/catalog/load-catalog.js";
import { createServer, createSnowflakeClient, tokenAuth } from "../../src/server.js";
import { type SnowflakeStub, type SnowflakeStubOptions, startSnowflakeStub } from "./snowflake-stub.js";

/** The token every in-process test sends. */
export const TOKEN = "sf-oauth-test-token-0123456789abcdef";

// biome-ignore lint/suspicious/noExplicitAny: tests read structuredContent field by field; each field they use is asserted
type Structured = any;
type CallResult = Awaited<ReturnType<Client["callTool"]>>;

/** The error envelope of a failed call. */
export interface Envelope {
  code: string;
  message: string;
  retryable: boolean;
  retryAfterMs?: number;
  field?: string;
  sideEffect: string;
  upstream?: { system: string; status?: number; requestId?: string };
  details?: Record<string, unknown>;
}

/** A warehouse server over a real MCP client, against the Snowflake stub on localhost. */
export interface Warehouse {
  client: Client;
  stub: SnowflakeStub;
  logs(): Array<Record<string, unknown>>;
  callLines(): Array<Record<string, unknown>>;
  requestIds: string[];
  call(
    name: string,
    args: Record<string, unknown>,
    options?: Parameters<Client["callTool"]>[1],
  ): Promise<{ result: CallResult; data?: Structured; error?: Envelope }>;
}

/** Options of {@link connectWarehouse}. */
export interface ConnectOptions extends SnowflakeStubOptions {
  catalog?: CatalogEntry[];
  charBudget?: number;
  /** Key of the runtime's state seal (default: a random one). */
  stateSecret?: string;
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Builds the server as run.ts does, with a token credential and fixed requestIds. */
export async function connectWarehouse(options: ConnectOptions = {}): Promise<Warehouse> {
  const stub = await startSnowflakeStub(options);
  const test = createTestRuntime({
    server: "warehouse",
    writesEnabled: false,
    secrets: [TOKEN],
    ...(options.stateSecret ? { stateSecret: options.stateSecret } : {}),
  });
  const snowflake = createSnowflakeClient({
    baseUrl: stub.url,
    auth: tokenAuth(staticCredential(TOKEN), "OAUTH"),
    logger: test.runtime.logger,
    scrub: test.runtime.scrubber.text,
    backoff: { initialMs: 5, maxMs: 20 },
  });
  const requestIds: string[] = [];
  const server = createServer({
    snowflake,
    runtime: test.runtime,
    catalog: options.catalog ?? loadCatalog(),
    context: { role: "GTM_READ_ONLY", warehouse: "GTM_WH", database: "GTM", schema: "PUBLIC" },
    ...(options.charBudget ? { charBudget: options.charBudget } : {}),
    newRequestId: () => {
      const id = `00000000-0000-4000-8000-${String(requestIds.length + 1).padStart(12, "0")}`;
      requestIds.push(id);
      return id;
    },
  });
  const { client, close } = await connectClient(server, "warehouse-test");
  cleanups.push(async () => {
    await close();
    await snowflake.close();
    await stub.close();
  });
  return {
    client,
    stub,
    logs: test.logs,
    callLines: test.callLines,
    requestIds,
    async call(name, args, callOptions) {
      const result = await client.callTool({ name, arguments: args }, callOptions);
      if (result.isError) {
        const text = (result.content as Array<{ text: string }>)[0]!.text;
        return { result, error: JSON.parse(text).error as Envelope };
      }
      return { result, data: result.structuredContent };
    },
  };
}

/** rowType of list_accounts_by_segment as Snowflake describes it. */
export const SEGMENT_ROW_TYPE = [
  { name: "RANK_IN_SEGMENT", type: "fixed" },
  { name: "ACCOUNT_ID", type: "text" },
  { name: "DOMAIN", type: "text" },
  { name: "NAME", type: "text" },
  { name: "SEGMENT", type: "text" },
  { name: "ARR", type: "fixed", scale: 2, precision: 12 },
  { name: "OWNER_EMAIL", type: "text" },
  { name: "PLAN", type: "text" },
  { name: "CREATED_AT", type: "timestamp_ntz", scale: 9 },
];

/** `n` rows of list_accounts_by_segment. */
export function segmentRows(n: number, pad = ""): Array<Array<string | null>> {
  return Array.from({ length: n }, (_, i) => [
    String(i + 1),
    `acc-${i + 1}`,
    `account${i + 1}.com`,
    `Account ${i + 1}${pad}`,
    "enterprise",
    `${(100000 - i).toFixed(2)}`,
    `rep${i % 7}@example.com`,
    "growth",
    "1700000000.000000000",
  ]);
}
