import { z } from "zod";
import { newCallStats } from "../../src/core/call-scope.js";
import type { ToolError } from "../../src/errors/index.js";
import { createLogger, createScrubber } from "../../src/logging/index.js";
import { type MockVendor, mockVendor } from "../../src/testing/index.js";
import {
  type CallScope,
  createUpstreamClient,
  staticCredential,
  type UpstreamClient,
  type UpstreamClientOptions,
} from "../../src/upstream/index.js";

export const BASE_URL = "https://vendor.test/api/v1";
export const TOKEN = "tok_live_5f8a2c9e1b7d4a03";

/** A vendor object as the tests' schema expects it. */
export const companySchema = z.object({ id: z.string(), name: z.string().nullable() });
export const company = { id: "123", name: "Acme" };

/** One parsed log line. */
export type LogLine = Record<string, unknown> & { level: string; msg: string };

/** A client wired to a MockAgent vendor, with its log lines captured. */
export interface Harness {
  vendor: MockVendor;
  client: UpstreamClient;
  /** Parsed log lines. */
  logs: LogLine[];
  /** The exact text written, to search for leaked secrets. */
  rawLogs: string[];
  close(): Promise<void>;
}

/**
 * A harness whose logger has NO secret scrubber of its own: whatever secret reaches a log line
 * got there because the client failed to pass it through `options.scrub`.
 */
export function harness(overrides: Partial<UpstreamClientOptions> = {}): Harness {
  const vendor = mockVendor(BASE_URL);
  const logs: LogLine[] = [];
  const rawLogs: string[] = [];
  const logger = createLogger({
    level: "debug",
    write: (line) => {
      rawLogs.push(line);
      logs.push(JSON.parse(line) as LogLine);
    },
  });
  const client = createUpstreamClient({
    system: "vendor",
    baseUrl: BASE_URL,
    credential: staticCredential(TOKEN),
    authHeaders: (secret) => ({ authorization: `Bearer ${secret}` }),
    logger,
    scrub: createScrubber(() => [TOKEN]).text,
    dispatcher: vendor.dispatcher,
    backoff: { initialMs: 1, maxMs: 5 },
    ...overrides,
  });
  return {
    vendor,
    client,
    logs,
    rawLogs,
    close: async () => {
      await client.close();
      await vendor.close();
    },
  };
}

/** A fresh call scope with counters. */
export function scope(
  extra: Partial<CallScope> = {},
): CallScope & { stats: ReturnType<typeof newCallStats> } {
  return { stats: newCallStats(), ...extra };
}

/** The rejection of `promise`, failing the test when it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<ToolError> {
  try {
    await promise;
  } catch (error) {
    return error as ToolError;
  }
  throw new Error("expected the request to fail, but it succeeded");
}

/** A read: safe to repeat. */
export const getCompany = {
  method: "GET" as const,
  path: "/companies/123",
  operation: "companies.get",
  safeToRepeat: true,
  schema: companySchema,
};

/** A create: not safe to repeat. */
export const createNote = {
  method: "POST" as const,
  path: "/notes",
  body: { text: "called, left a voicemail" },
  operation: "notes.create",
  safeToRepeat: false,
  schema: companySchema,
};
