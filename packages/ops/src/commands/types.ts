import type { IdempotencyStore } from "@gtm-mcp/tool-kit/idempotency";

/** What every command gets: the store opened for one server and environment. */
export interface CommandContext {
  store: IdempotencyStore;
  server: string;
  env: string;
  /** `GTM_STATE_URL` as given (may hold a password: never print it whole). */
  stateUrl: string | undefined;
}

/** A command's answer: a table for people, a document for `--json`, and its exit code. */
export interface CommandResult {
  text: string;
  json: unknown;
  /** 1 when the thing asked for was not found or the change was refused. */
  exitCode?: 0 | 1;
  /** One line for stderr explaining a non-zero exit. */
  problem?: string;
}
