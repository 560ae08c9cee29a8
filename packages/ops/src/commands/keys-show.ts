import { isoTime, renderPairs } from "../cli/table.js";
import type { CommandContext, CommandResult } from "./types.js";

/** Shows the idempotency record under a key (`<tool>:<sha256>`, as the call log prints it). */
export async function keysShow(ctx: CommandContext, key: string): Promise<CommandResult> {
  const record = await ctx.store.get(key);
  if (record === null) {
    return {
      text: "",
      json: null,
      exitCode: 1,
      problem: `no record under ${key} for ${ctx.server} (${ctx.env}); it never existed, was released, or expired`,
    };
  }
  const outcome = record.outcome;
  const summary =
    outcome === null ? "-" : outcome.kind === "ok" ? "ok" : `error ${outcome.envelope.error.code}`;
  const text = renderPairs([
    ["key", record.key],
    ["state", record.state],
    ["outcome", summary],
    ["fingerprint", record.fingerprint],
    ["lease expires", isoTime(record.leaseExpiresAt)],
    ["created", isoTime(record.createdAt)],
    ["updated", isoTime(record.updatedAt)],
  ]);
  // The owner token only fences transitions; it means nothing to a person and is left out.
  const { owner: _owner, ...shown } = record;
  return { text, json: shown };
}
