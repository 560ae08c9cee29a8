import { stat } from "node:fs/promises";
import { parseStateUrl } from "@gtm-mcp/tool-kit/idempotency";
import { isoTime, renderPairs } from "../cli/table.js";
import type { CommandContext, CommandResult } from "./types.js";

// Counting reviews pages through the queue; past this many the count says "at least".
const REVIEW_COUNT_LIMIT = 1000;

/** Shows which store `GTM_STATE_URL` names, whether it answers, its identity, size and record counts. */
export async function storeInfo(ctx: CommandContext): Promise<CommandResult> {
  const location = parseStateUrl(ctx.stateUrl, { server: ctx.server, env: ctx.env });
  const reachable = await ctx.store.ping();
  const where = location.kind === "redis" ? redactUrl(location.url) : location.path;
  const sizeBytes = location.kind === "sqlite" ? await fileSize(location.path) : null;
  const identity = reachable ? await ctx.store.identity() : null;
  const [open, resolved] = reachable
    ? await Promise.all([
        ctx.store.listReviews({ status: "open", limit: REVIEW_COUNT_LIMIT }),
        ctx.store.listReviews({ status: "resolved", limit: REVIEW_COUNT_LIMIT }),
      ])
    : [[], []];
  const count = (n: number) => (n >= REVIEW_COUNT_LIMIT ? `≥ ${n}` : String(n));
  const info = {
    kind: ctx.store.kind,
    location: where,
    server: ctx.server,
    env: ctx.env,
    reachable,
    identity,
    sizeBytes,
    reviews: { open: open.length, resolved: resolved.length },
  };
  const text = renderPairs([
    ["kind", info.kind],
    ["location", where],
    ["scope", `${ctx.server} (${ctx.env})`],
    ["reachable", reachable ? "yes" : "no"],
    ["identity", identity === null ? "-" : `${identity.id} (created ${isoTime(identity.createdAt)})`],
    ["size", sizeBytes === null ? "-" : `${sizeBytes} bytes`],
    ["open reviews", reachable ? count(open.length) : "-"],
    ["resolved reviews", reachable ? count(resolved.length) : "-"],
  ]);
  return {
    text,
    json: info,
    ...(reachable
      ? {}
      : { exitCode: 1 as const, problem: `the ${info.kind} store at ${where} does not answer` }),
  };
}

/** A Redis URL without its password (`redis://:secret@h:6379` → `redis://:***@h:6379`). */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== "") parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(unparsable URL)";
  }
}

async function fileSize(path: string): Promise<number | null> {
  if (path === ":memory:") return null;
  try {
    return (await stat(path)).size;
  } catch {
    return null;
  }
}
