import type { CallToolResult, InputRequiredResult } from "@modelcontextprotocol/server";
import { type ErrorEnvelope, ToolError, toErrorEnvelope, toToolError } from "../errors/index.js";
import { newCallStats } from "./call-stats.js";
import type { CompiledTool } from "./compile-tool.js";
import type { ToolContext } from "./define-tool.js";
import { createElicit, type ElicitationChannel, InputRequiredSignal } from "./elicitation.js";
import type { ProgressReporter } from "./progress.js";
import { DEFAULT_DEADLINE_MS, type ToolCallLine, type ToolRuntime } from "./runtime.js";
import { errorResult, successResult } from "./tool-result.js";
import { toJsonPath, validateInput } from "./validate-input.js";
import { OVERDUE, raceDeadline } from "./write-execution.js";
import { runWrite, type WriteSettlement } from "./write-path.js";

/** A handler that ignores its abort signal is given this long past the deadline before the call gives up on it. */
const DEADLINE_GRACE_MS = 500;

/**
 * Runs one tool call through the pipeline (design.md §3): validate input, check writes,
 * idempotency and caps, run the handler under a deadline, validate the output, build the
 * result, and write one call-log line. Never throws: every failure is an error result.
 * A handler that asks a person (`ctx.elicit`) ends its round with an `input_required` result
 * (see `elicitation.ts`); with no `elicitation` channel, asking is refused as unsupported.
 */
export async function runToolCall(
  tool: CompiledTool,
  rawArgs: unknown,
  runtime: ToolRuntime,
  options?: { signal?: AbortSignal; progress?: ProgressReporter },
): Promise<CallToolResult>;
export async function runToolCall(
  tool: CompiledTool,
  rawArgs: unknown,
  runtime: ToolRuntime,
  options: { signal?: AbortSignal; progress?: ProgressReporter; elicitation: ElicitationChannel },
): Promise<CallToolResult | InputRequiredResult>;
export async function runToolCall(
  tool: CompiledTool,
  rawArgs: unknown,
  runtime: ToolRuntime,
  options: { signal?: AbortSignal; progress?: ProgressReporter; elicitation?: ElicitationChannel } = {},
): Promise<CallToolResult | InputRequiredResult> {
  const definition = tool.definition;
  const started = performance.now();
  const stats = newCallStats();
  const controller = new AbortController();
  const deadlineMs = definition.deadlineMs ?? DEFAULT_DEADLINE_MS;
  const deadline = Date.now() + deadlineMs;
  const timer = setTimeout(() => controller.abort(new Error("deadline")), deadlineMs);
  const signal = options.signal ? AbortSignal.any([controller.signal, options.signal]) : controller.signal;
  const logger = runtime.logger.child({ tool: definition.name });
  const cancelled = () => options.signal?.aborted === true;
  const ctx: ToolContext = {
    signal,
    deadline,
    stats,
    scope: { signal, deadline, stats },
    logger,
    progress: options.progress ?? (async () => undefined),
    abortReason: () => (cancelled() ? "cancelled" : controller.signal.aborted ? "deadline" : undefined),
    elicit: createElicit(options.elicitation),
  };
  let asking: InputRequiredResult | undefined;

  let loggedArgs: unknown = rawArgs;
  let settlement: WriteSettlement | { kind: "ok"; structured: Record<string, unknown> } | undefined;
  let envelope: ErrorEnvelope | undefined;
  try {
    if (definition.kind === "write" && !runtime.writesEnabled) {
      throw new ToolError(
        "WRITES_DISABLED",
        `Writes are disabled for ${runtime.server.name} in ${runtime.env}; set GTM_ENABLE_WRITES=true to enable them`,
      );
    }
    const args = validateInput(tool.input, rawArgs) as Record<string, unknown>;
    loggedArgs = args;
    if (definition.kind === "read") {
      const out = await withDeadline(definition.handler(args as never, ctx), deadline);
      settlement = { kind: "ok", structured: validateOutput(tool, out, false, logger) };
    } else {
      settlement = await runWrite(definition, args, runtime, ctx, {
        run: (callCtx) => definition.handler(args as never, callCtx),
        validate: (out) => validateOutput(tool, out, true, logger),
        graceMs: DEADLINE_GRACE_MS,
      });
      if (settlement.kind === "error") envelope = settlement.envelope;
      if (settlement.kind === "input_required") {
        asking = settlement.result;
        settlement = undefined;
      }
    }
  } catch (thrown) {
    if (thrown instanceof InputRequiredSignal) asking = thrown.result;
    const error = toToolError(thrown);
    if (!asking && error.code === "INTERNAL")
      logger.error({ err: error.cause ?? thrown }, "tool call failed unexpectedly");
    if (!asking) envelope = toErrorEnvelope(error, { scrub: runtime.scrubber.text });
  } finally {
    clearTimeout(timer);
  }

  const replayed = settlement !== undefined && "replayed" in settlement ? settlement.replayed : false;
  const key =
    settlement !== undefined && "key" in settlement ? settlement.key : envelope?.error.idempotencyKey;
  const result = asking
    ? asking
    : envelope
      ? errorResult(envelope)
      : successResult((settlement as { structured: Record<string, unknown> }).structured);
  // server, env and runId come from the runtime logger's bindings (see ToolRuntime.logger).
  const line: ToolCallLine = {
    event: "tool_call",
    tool: definition.name,
    kind: definition.kind,
    args: abridge(runtime.scrubber.value(loggedArgs)),
    durationMs: Math.round(performance.now() - started),
    // A client cancellation is logged as such, distinct from a deadline's UPSTREAM_TIMEOUT.
    outcome: asking ? "input_required" : cancelled() ? "cancelled" : envelope ? envelope.error.code : "ok",
    retryable: envelope ? envelope.error.retryable : false,
    replayed,
    attempts: stats.attempts,
    retried: stats.retried,
    ...(key ? { idempotencyKey: key } : {}),
    ...(envelope ? { sideEffect: envelope.error.sideEffect, reviewId: envelope.error.reviewId } : {}),
  };
  if (envelope && !envelope.error.retryable) runtime.logger.warn(line, "tool call failed");
  else runtime.logger.info(line, "tool call");
  try {
    runtime.onToolCall?.(line);
  } catch {
    // Metrics are an observer: a fault there must not turn a finished call into a failure.
  }
  return result;
}

/** Longest string argument logged whole; longer ones (note bodies, SQL) are cut, with their length. */
const LOGGED_STRING_MAX = 500;

function abridge(value: unknown): unknown {
  if (typeof value === "string") {
    return value.length > LOGGED_STRING_MAX
      ? `${value.slice(0, LOGGED_STRING_MAX)}…(${value.length} chars)`
      : value;
  }
  if (Array.isArray(value)) return value.map(abridge);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, abridge(v)]));
  }
  return value;
}

/** A read's result, or UPSTREAM_TIMEOUT once the deadline (plus a grace) passes: a read can be abandoned. */
async function withDeadline<T>(work: Promise<T>, deadline: number): Promise<T> {
  const result = await raceDeadline(work, deadline + DEADLINE_GRACE_MS);
  if (result === OVERDUE)
    throw new ToolError("UPSTREAM_TIMEOUT", "The tool call did not finish before its deadline");
  return result;
}

function validateOutput(
  tool: CompiledTool,
  out: unknown,
  isWrite: boolean,
  logger: ToolContext["logger"],
): Record<string, unknown> {
  const schema = tool.definition.output;
  const parsed = schema.safeParse(out);
  if (parsed.success) return parsed.data as Record<string, unknown>;
  const paths = parsed.error.issues
    .slice(0, 5)
    .map((issue) => `${toJsonPath(issue.path) || "(root)"}: ${issue.message}`);
  logger.error({ drift: paths }, "result does not match the tool's output schema");
  throw new ToolError(
    "UPSTREAM_CONTRACT_VIOLATION",
    `The upstream answer did not have the expected shape (${paths[0]})`,
    {
      sideEffect: isWrite ? "committed" : "none",
      details: { paths },
    },
  );
}
