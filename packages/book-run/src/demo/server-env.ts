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

/** The send cap the email server runs with (its default). */
export const SEND_CAP = 20;

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
    ...(name === "email" ? { EMAIL_MAX_SENDS_PER_RUN: String(SEND_CAP) } : {}),
  };
}
