import { join } from "node:path";
import type { ServerName } from "../policy/index.js";

/** What the servers' environment is built from. */
export interface ServerEnvInput {
  /** The sandbox's environment: GTM_ENV, base URLs, fake credentials. */
  sandboxEnv: Record<string, string>;
  /** `redis://…`, or null for an embedded SQLite file in `stateDir`. */
  redis: string | null;
  stateDir: string;
  accounts: number;
  runDate: string;
}

/** The email server's default send cap: the least the book run gives it. */
export const SEND_CAP = 20;

/**
 * The send cap for a book of `accounts`: a fifth of the accounts (at least {@link SEND_CAP}).
 * The run sends the drafts of one recipient in five, and at most one account in two qualifies
 * for a draft, so a correct run stays well under it; the check holds the sends to it.
 */
export function sendCapFor(accounts: number): number {
  return Math.max(SEND_CAP, Math.ceil(accounts / 5));
}

/**
 * Each server's environment for the book run: the sandbox's, its store (Redis shared by all,
 * or its own SQLite file, so keys and caps hold across its restarts), one run id, and caps sized to the book: one note
 * and at most one draft per account, and at most one enrichment credit per account (a domain is
 * bought once and cached). Logs at `warn`: the call log of a 4,000-account run would otherwise
 * cost more than the run.
 */
export function serverEnv(name: ServerName, input: ServerEnvInput): Record<string, string> {
  const writeCap = String(input.accounts + 50);
  return {
    ...input.sandboxEnv,
    // One SQLite file per server: keys and caps are per server anyway, and four processes
    // writing one file would queue on its single writer. A restarted server reopens its own.
    GTM_STATE_URL: input.redis ?? `sqlite:${join(input.stateDir, `${name}.sqlite`)}`,
    GTM_RUN_ID: `book-run-${input.runDate}`,
    GTM_LOG_LEVEL: "warn",
    GTM_MAX_WRITES_PER_RUN: writeCap,
    ...(name === "enrichment" ? { ENRICHMENT_MAX_CALLS_PER_RUN: String(input.accounts) } : {}),
    // Sandbox only: the run sends a share of its drafts without asking (see sendsDraftTo), so
    // that its check counts sends; a person confirms each send in production (`confirm`).
    ...(name === "email"
      ? { EMAIL_SEND_MODE: "on", EMAIL_MAX_SENDS_PER_RUN: String(sendCapFor(input.accounts)) }
      : {}),
  };
}
