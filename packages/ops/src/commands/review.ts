import type { ReviewRecord } from "@gtm-mcp/tool-kit/idempotency";
import { isoTime, renderPairs, renderTable } from "../cli/table.js";
import type { CommandContext, CommandResult } from "./types.js";

/** Who resolved a review and why, as `review resolve` records it in the resolution text. */
export interface Resolution {
  by: string;
  reason: string;
}

/** Lists review records, newest first as the store returns them. */
export async function reviewList(
  ctx: CommandContext,
  options: { status: "open" | "resolved" | "all"; limit: number },
): Promise<CommandResult> {
  const reviews = await ctx.store.listReviews({
    ...(options.status === "all" ? {} : { status: options.status }),
    limit: options.limit,
  });
  const rows = reviews.map((r) => [
    r.id,
    r.status,
    r.tool,
    r.error.code,
    isoTime(r.createdAt),
    oneLine(r.error.message, 60),
  ]);
  const text =
    reviews.length === 0
      ? `No ${options.status === "all" ? "" : `${options.status} `}reviews for ${ctx.server} (${ctx.env}).\n`
      : renderTable(["ID", "STATUS", "TOOL", "CODE", "CREATED", "MESSAGE"], rows);
  return { text, json: { server: ctx.server, env: ctx.env, reviews } };
}

/** Shows one review record in full. */
export async function reviewShow(ctx: CommandContext, id: string): Promise<CommandResult> {
  const review = await ctx.store.getReview(id);
  if (review === null) return notFound(ctx, id);
  return { text: describe(review), json: review };
}

/** Resolves an open review, recording who resolved it and why. Refuses one already resolved. */
export async function reviewResolve(
  ctx: CommandContext,
  id: string,
  resolution: Resolution,
): Promise<CommandResult> {
  const before = await ctx.store.getReview(id);
  if (before === null) return notFound(ctx, id);
  if (before.status === "resolved") {
    return {
      text: describe(before),
      json: before,
      exitCode: 1,
      problem: `review ${id} was already resolved at ${isoTime(before.resolvedAt)}`,
    };
  }
  const done = await ctx.store.resolveReview(id, JSON.stringify(resolution));
  const after = await ctx.store.getReview(id);
  if (!done || after === null) {
    return {
      text: "",
      json: after,
      exitCode: 1,
      problem: `review ${id} could not be resolved (resolved concurrently?)`,
    };
  }
  return { text: `Resolved ${id}.\n${describe(after)}`, json: after };
}

/** Reads a resolution written by {@link reviewResolve}; free text from elsewhere is kept as the reason. */
export function readResolution(text: string | null): Resolution | null {
  if (text === null) return null;
  try {
    const parsed = JSON.parse(text) as Partial<Resolution>;
    if (typeof parsed.by === "string" && typeof parsed.reason === "string")
      return { by: parsed.by, reason: parsed.reason };
  } catch {
    // Not ours: fall through.
  }
  return { by: "-", reason: text };
}

function describe(r: ReviewRecord): string {
  const resolution = readResolution(r.resolution);
  return renderPairs([
    ["id", r.id],
    ["status", r.status],
    ["server", `${r.server} (${r.env})`],
    ["tool", r.tool],
    ["idempotency key", r.idempotencyKey],
    ["code", `${r.error.code}${r.error.retryable ? " (retryable)" : ""}`],
    ["message", oneLine(r.error.message, 300)],
    ["side effect", r.error.sideEffect ?? "-"],
    ["created", isoTime(r.createdAt)],
    ["resolved", isoTime(r.resolvedAt)],
    ["resolved by", resolution?.by ?? "-"],
    ["reason", resolution?.reason ?? "-"],
    ["arguments", oneLine(JSON.stringify(r.args), 300)],
  ]);
}

function notFound(ctx: CommandContext, id: string): CommandResult {
  return { text: "", json: null, exitCode: 1, problem: `no review ${id} for ${ctx.server} (${ctx.env})` };
}

function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ");
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
