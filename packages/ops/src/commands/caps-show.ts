import { renderTable } from "../cli/table.js";
import type { CommandContext, CommandResult } from "./types.js";

/** The caps the servers count against (`writes` on every server; `sends`, `credits` on some). */
export const KNOWN_CAPS = ["writes", "sends", "credits"] as const;

/** Shows how many units of each cap a run has used. */
export async function capsShow(
  ctx: CommandContext,
  runId: string,
  names?: readonly string[],
): Promise<CommandResult> {
  const caps = names && names.length > 0 ? [...new Set(names)] : [...KNOWN_CAPS];
  const usage = await Promise.all(
    caps.map(async (name) => ({ name, used: await ctx.store.capUsage(name, runId) })),
  );
  const text = renderTable(
    ["CAP", "USED"],
    usage.map((u) => [u.name, String(u.used)]),
  );
  return {
    text: `Run ${runId} on ${ctx.server} (${ctx.env}); limits are each server's configuration (--help).\n${text}`,
    json: { server: ctx.server, env: ctx.env, runId, caps: usage },
  };
}
