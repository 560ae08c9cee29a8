import { createToolServer, type ToolRuntime } from "@gtm-mcp/tool-kit/tools";
import type { Server } from "@modelcontextprotocol/server";
import type { SendMode } from "./config.js";
import { NO_SUPPRESSION, type SuppressionList } from "./model/suppression-list.js";
import { emailTools } from "./tools/index.js";
import type { Gmail } from "./upstream/client.js";

export { emailVars, type SendMode } from "./config.js";
export { fileSuppressionList, NO_SUPPRESSION, type SuppressionList } from "./model/suppression-list.js";
export { createGmailClient, type Gmail, type GmailClientOptions } from "./upstream/client.js";
export { mapGmailError } from "./upstream/map-error.js";

/** The email server's package version. */
export const VERSION = "0.1.0";

const DAY_MS = 24 * 3_600_000;

/** What the email server needs. */
export interface EmailDeps {
  gmail: Gmail;
  runtime: ToolRuntime;
  /** The verified sending mailbox, when known. */
  sender?: string | undefined;
  suppression?: SuppressionList;
  /** Default `off`: `send_draft` does not exist. */
  sendMode?: SendMode;
  /** Default 3. */
  cooldownDays?: number;
  now?: () => number;
}

const INSTRUCTIONS =
  "Tools over one Gmail mailbox, acting in a person's name. Check list_recent_threads before writing to a contact. " +
  "create_outreach_draft makes a draft for a person to review; it never sends, and the same (to, occurrence) makes one draft. " +
  "send_draft exists only when sending is enabled; it may ask a person to confirm, is capped per run and refuses a recipient " +
  "written to within the cooldown (CAP_EXCEEDED with retryAfterMs). Failures are JSON error envelopes with a code, retryable and, for bad input, the field.";

/** Builds the email MCP server. No I/O. */
export function createServer(deps: EmailDeps): Server {
  return createToolServer({
    name: "gtm-mcp-email",
    version: VERSION,
    instructions: INSTRUCTIONS,
    tools: emailTools({
      gmail: deps.gmail,
      sender: deps.sender,
      suppression: deps.suppression ?? NO_SUPPRESSION,
      sendMode: deps.sendMode ?? "off",
      cooldownMs: (deps.cooldownDays ?? 3) * DAY_MS,
      store: deps.runtime.store,
      retentionMs: deps.runtime.idempotency.ttlMs,
      now: deps.now ?? Date.now,
    }),
    runtime: deps.runtime,
  });
}
