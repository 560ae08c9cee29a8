import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type IdempotencyStore, openStore } from "@gtm-mcp/tool-kit/idempotency";
import { connectClient, createTestRuntime, type MockVendor, mockVendor } from "@gtm-mcp/tool-kit/testing";
import { staticCredential } from "@gtm-mcp/tool-kit/upstream";
import type { Client } from "@modelcontextprotocol/client";
import { afterEach } from "vitest";
import type { EnrichmentSettings } from "../../src/config.js";
import { createPdlClient, createServer } from "../../src/server.js";

/** The stubbed PDL's base URL (no real host: the MockAgent refuses the network). */
export const BASE_URL = "https://api.peopledatalabs.test";
/** A canary API key: it must appear in no result and no log line. */
export const API_KEY = "pdl-CANARY-KEY-7f3a9c2e5b1d4e8f";
/** The company-enrich path. */
export const ENRICH = "/v5/company/enrich";

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
}

/** A connected enrichment server over a real MCP client, against a stubbed PDL. */
export interface Enrichment {
  client: Client;
  pdl: MockVendor;
  store: IdempotencyStore;
  lines: string[];
  callLines(): Array<Record<string, unknown>>;
  /** Calls a tool; `data` is structuredContent on success, `error` the envelope on failure. */
  call(
    name: string,
    args: Record<string, unknown>,
  ): Promise<{ result: CallResult; data?: Structured; error?: Envelope }>;
  /** PDL requests made so far. */
  enrichCalls(): number;
}

/** Options of {@link connectEnrichment}. */
export interface ConnectOptions {
  writesEnabled?: boolean;
  settings?: Partial<EnrichmentSettings>;
  /** A state file shared with another connection (two servers on one SQLite file). */
  statePath?: string;
  runId?: string;
  breaker?: { consecutiveFailures?: number; halfOpenAfterMs?: number };
  /** A real PDL stand-in (a localhost server) instead of the MockAgent: `enrichCalls` then counts nothing. */
  pdlUrl?: string;
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A fresh directory removed after the test. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "enrichment-test-"));
  cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Builds the server exactly as run.ts does, but with a MockAgent PDL and an in-memory MCP link. */
export async function connectEnrichment(options: ConnectOptions = {}): Promise<Enrichment> {
  const statePath = options.statePath ?? join(tempDir(), "state.sqlite");
  const vendor = mockVendor(BASE_URL);
  const store = await openStore({ url: `sqlite:${statePath}`, server: "enrichment", env: "sandbox" });
  const test = createTestRuntime({
    server: "enrichment",
    store,
    writesEnabled: options.writesEnabled ?? true,
    secrets: [API_KEY],
    ...(options.runId ? { runId: options.runId } : {}),
  });
  const pdl = createPdlClient({
    baseUrl: options.pdlUrl ?? BASE_URL,
    credential: staticCredential(API_KEY),
    logger: test.runtime.logger,
    scrub: test.runtime.scrubber.text,
    ...(options.pdlUrl ? {} : { dispatcher: vendor.dispatcher }),
    backoff: { initialMs: 10, maxMs: 40 },
    ...(options.breaker ? { breaker: options.breaker } : {}),
  });
  const settings: EnrichmentSettings = {
    minLikelihood: 2,
    hitTtlMs: 168 * 3_600_000,
    notFoundTtlMs: 24 * 3_600_000,
    maxCallsPerRun: 500,
    ...options.settings,
  };
  const server = createServer({ pdl, runtime: test.runtime, settings });
  const { client, close } = await connectClient(server, "enrichment-test");
  cleanups.push(async () => {
    await close();
    await pdl.close();
    await store.close();
    await vendor.close();
  });
  return {
    client,
    pdl: vendor,
    store,
    lines: test.lines,
    callLines: test.callLines,
    async call(name, args) {
      const result = await client.callTool({ name, arguments: args });
      if (result.isError) {
        const text = (result.content as Array<{ text: string }>)[0]!.text;
        return { result, error: JSON.parse(text).error as Envelope };
      }
      return { result, data: result.structuredContent as Structured };
    },
    enrichCalls: () => vendor.calls().filter((c) => c.pathname === ENRICH).length,
  };
}
