import { randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type IdempotencyStore, openStore } from "@gtm-mcp/tool-kit/idempotency";
import {
  type ConnectClientOptions,
  connectClient,
  createTestRuntime,
  type TestRuntime,
} from "@gtm-mcp/tool-kit/testing";
import { type OAuthRefreshCredential, oauthRefreshCredential } from "@gtm-mcp/tool-kit/upstream";
import type { SendMode } from "../../src/config.js";
import type { SuppressionList } from "../../src/model/suppression-list.js";
import { createGmailClient, createServer } from "../../src/server.js";
import { type GmailStub, type GmailStubOptions, startGmailStub } from "./gmail-stub.js";

export const CLIENT_SECRET = "gocspx-CANARY-client-secret-7e1f";
export const REFRESH_TOKEN = "1//0g-CANARY-refresh-token-5d2c9a";
export const SENDER = "rep@seller.test";

/** A tool call's outcome: the structured result or the error envelope. */
export interface CallOutcome {
  isError: boolean;
  structured: Record<string, unknown> | undefined;
  error: Record<string, unknown> & { code?: string; message?: string };
  text: string;
}

export interface ConnectedEmail {
  stub: GmailStub;
  store: IdempotencyStore;
  test: TestRuntime;
  credential: OAuthRefreshCredential;
  /** Every access token issued (for canary checks). */
  tokens: string[];
  call(name: string, args: Record<string, unknown>): Promise<CallOutcome>;
  listTools(): Promise<string[]>;
  close(): Promise<void>;
}

export interface ConnectOptions {
  sendMode?: SendMode;
  writesEnabled?: boolean;
  suppression?: SuppressionList;
  cooldownDays?: number;
  caps?: { writes?: number; sends?: number };
  runId?: string;
  /** Share a state file (two runs, two "processes"). */
  stateUrl?: string;
  stub?: GmailStub;
  stubOptions?: GmailStubOptions;
  client?: ConnectClientOptions;
}

/** The email server in this process over the Gmail stub, with a real MCP client. */
export async function connectEmail(options: ConnectOptions = {}): Promise<ConnectedEmail> {
  const stub = options.stub ?? (await startGmailStub(options.stubOptions));
  const stateUrl =
    options.stateUrl ?? `sqlite:${join(mkdtempSync(join(tmpdir(), "email-")), "state.sqlite")}`;
  const store = await openStore({ url: stateUrl, server: "email", env: "sandbox" });
  const tokens: string[] = [];
  // Read live by the scrubber: every access token issued is known to it, as in run.ts.
  const secretValues = [CLIENT_SECRET, REFRESH_TOKEN];
  const test = createTestRuntime({
    server: "email",
    store,
    runId: options.runId ?? `run-${randomUUID()}`,
    writesEnabled: options.writesEnabled ?? true,
    secrets: secretValues,
    caps: { writes: options.caps?.writes ?? 100, sends: options.caps?.sends ?? 20 },
  });
  const credential = oauthRefreshCredential({
    system: "google",
    tokenUrl: stub.tokenUrl,
    clientId: () => "client.apps.googleusercontent.com",
    clientSecret: () => CLIENT_SECRET,
    refreshToken: () => REFRESH_TOKEN,
    onToken: (t) => {
      tokens.push(t.value);
      secretValues.push(t.value);
    },
    logger: test.runtime.logger,
  });
  const gmail = createGmailClient({
    baseUrl: stub.baseUrl,
    credential,
    logger: test.runtime.logger,
    scrub: test.runtime.scrubber.text,
    backoff: { initialMs: 10, maxMs: 50 },
  });
  const server = createServer({
    gmail,
    runtime: test.runtime,
    sender: SENDER,
    ...(options.suppression ? { suppression: options.suppression } : {}),
    sendMode: options.sendMode ?? "off",
    cooldownDays: options.cooldownDays ?? 3,
  });
  const connected = await connectClient(server, "email-test", options.client ?? {});
  return {
    stub,
    store,
    test,
    credential,
    tokens,
    async call(name, args) {
      const result = (await connected.client.callTool({ name, arguments: args })) as {
        isError?: boolean;
        structuredContent?: Record<string, unknown>;
        content: Array<{ type: string; text: string }>;
      };
      const text = result.content[0]?.text ?? "";
      return {
        isError: result.isError === true,
        structured: result.structuredContent,
        error: result.isError ? (JSON.parse(text).error ?? {}) : {},
        text,
      };
    },
    async listTools() {
      return (await connected.client.listTools()).tools.map((t) => t.name).sort();
    },
    async close() {
      await connected.close();
      await gmail.close();
      await store.close();
      if (!options.stub) await stub.close();
    },
  };
}

/** A valid create_outreach_draft call. */
export const draftArgs = (over: Record<string, unknown> = {}) => ({
  to: "jane@acme.test",
  account_domain: "acme.test",
  subject: "Quick question about your rollout",
  body: "Hi Jane,\n\nSaw your team doubled its seats this quarter.\n\nBest,\nRep",
  occurrence: "2026-11-29",
  ...over,
});
