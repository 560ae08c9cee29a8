import type { CallToolResult, InputRequiredResult } from "@modelcontextprotocol/server";
import { newCallStats } from "../core/call-scope.js";
import { OVERDUE, raceDeadline } from "../core/deadline.js";
import { linkedSignal } from "../core/linked-signal.js";
import { type ErrorEnvelope, ToolError, toErrorEnvelope, toToolError } from "../errors/index.js";
import type { Logger } from "../logging/index.js";
import { logCall } from "./call-log.js";
import type { CompiledTool } from "./compile-tool.js";
import type { ToolContext } from "./define-tool.js";
import { createElicit, type ElicitationChannel, InputRequiredSignal } from "./elicitation.js";
import type { ProgressReporter } from "./progress.js";
import { refuseSecretArguments } from "./refuse-secrets.js";
import { DEFAULT_RESULT_BUDGET_CHARS, fitResultBudget } from "./result-budget.js";
import { DEFAULT_DEADLINE_MS, type ToolRuntime } from "./runtime.js";
import { scrubInputRequired, scrubResult } from "./scrub-result.js";
import { errorResult, successResult } from "./tool-result.js";
import { toJsonPath, validateInput } from "./validate-input.js";
import { runWrite } from "./write-path.js";
import type { KeyOrigin } from "./write-types.js";

/** A handler that ignores its abort signal is given this long past the deadline before the call gives up on it. */
const DEADLINE_GRACE_MS = 500;

/** How one call ended, whatever its kind: the one shape the result and the call log are built from. */
type CallOutcome =
  | { kind: "ok"; structured: Record<string, unknown>; replayed: boolean; key?: KeyFacts }
  | { kind: "error"; envelope: ErrorEnvelope; replayed: boolean; key?: KeyFacts }
  /** The handler asked a person (`ctx.elicit`): this round ends with an `input_required` result. */
  | { kind: "input_required"; result: InputRequiredResult; replayed: false; key?: KeyFacts };

/** What a call may be given besides its arguments. */
interface CallOptions {
  signal?: AbortSignal;
  progress?: ProgressReporter;
  elicitation?: ElicitationChannel;
}

/** A write's key and where it came from. */
interface KeyFacts {
  value: string;
  origin: KeyOrigin;
}

/** One call in flight: its context, the clock it started on, and its deadline timer. */
interface CallFrame {
  ctx: ToolContext;
  logger: Logger;
  startedAt: number;
  /** Whether the client cancelled the call (logged as such, apart from a deadline's timeout). */
  cancelled(): boolean;
  /** Stops the deadline timer. */
  finish(): void;
}

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
  options: CallOptions = {},
): Promise<CallToolResult | InputRequiredResult> {
  const frame = openFrame(tool, runtime, options);
  let loggedArgs: unknown = rawArgs;
  let outcome: CallOutcome;
  try {
    const args = admitArguments(tool, rawArgs, runtime);
    loggedArgs = args;
    outcome =
      tool.definition.kind === "read"
        ? await runRead(tool, args, frame)
        : await runWriteCall(tool, args, runtime, frame);
  } catch (thrown) {
    outcome = failed(thrown, runtime, frame.logger);
  } finally {
    frame.finish();
  }
  outcome = finishOutcome(tool, outcome, runtime, frame.logger);
  logCall(runtime, {
    tool: tool.definition.name,
    kind: tool.definition.kind,
    args: loggedArgs,
    durationMs: Math.round(performance.now() - frame.startedAt),
    envelope: outcome.kind === "error" ? outcome.envelope : undefined,
    inputRequired: outcome.kind === "input_required",
    replayed: outcome.replayed,
    attempts: frame.ctx.stats.attempts,
    retried: frame.ctx.stats.retried,
    cache: frame.ctx.stats.cache,
    key: outcome.key,
    cancelled: frame.cancelled(),
  });
  return toResult(outcome, runtime);
}

/**
 * The call's context: a deadline (the tool's, or 8 s) that aborts its signal, joined with the
 * client's cancellation, and the progress reporter (a no-op without a progress token).
 */
function openFrame(tool: CompiledTool, runtime: ToolRuntime, options: CallOptions): CallFrame {
  const cancel = options.signal;
  const deadlineMs = tool.definition.deadlineMs ?? DEFAULT_DEADLINE_MS;
  let deadlinePassed = false;
  const link = linkedSignal([cancel]);
  const timer = setTimeout(() => {
    deadlinePassed = true;
    link.abort(new Error("deadline"));
  }, deadlineMs);
  const signal = link.signal;
  const deadline = Date.now() + deadlineMs;
  const stats = newCallStats();
  const logger = toolLogger(runtime.logger, tool.definition.name);
  const cancelled = () => cancel?.aborted === true;
  return {
    ctx: {
      signal,
      deadline,
      stats,
      scope: { signal, deadline, stats },
      logger,
      progress: options.progress ?? (async () => undefined),
      abortReason: () => (cancelled() ? "cancelled" : deadlinePassed ? "deadline" : undefined),
      elicit: createElicit(options.elicitation, { seal: runtime.seal, store: runtime.store }),
      scrub: runtime.scrubber.text,
      seal: runtime.seal,
    },
    logger,
    startedAt: performance.now(),
    cancelled,
    finish: () => {
      clearTimeout(timer);
      link.release();
    },
  };
}

/** Each tool's child logger, made once per logger (pino serialises a child's bindings when it is made). */
const toolLoggers = new WeakMap<Logger, Map<string, Logger>>();

function toolLogger(parent: Logger, tool: string): Logger {
  let byTool = toolLoggers.get(parent);
  if (!byTool) {
    byTool = new Map();
    toolLoggers.set(parent, byTool);
  }
  let logger = byTool.get(tool);
  if (!logger) {
    logger = parent.child({ tool });
    byTool.set(tool, logger);
  }
  return logger;
}

/**
 * The arguments the handler may see: writes enabled (for a write), the input schema
 * satisfied, and no configured secret in any string (or key) of a write's arguments, raw or
 * parsed, at any depth.
 *
 * @throws ToolError `WRITES_DISABLED` or `INVALID_INPUT`.
 */
function admitArguments(tool: CompiledTool, rawArgs: unknown, runtime: ToolRuntime): Record<string, unknown> {
  const definition = tool.definition;
  if (definition.kind === "write" && !runtime.writesEnabled) {
    throw new ToolError(
      "WRITES_DISABLED",
      `Writes are disabled for ${runtime.server.name} in ${runtime.env}; set GTM_ENABLE_WRITES=true to enable them`,
    );
  }
  const args = validateInput(tool.input, rawArgs, runtime.scrubber.text) as Record<string, unknown>;
  // Both forms: a schema's transform may hide a secret in the parsed copy.
  if (definition.kind === "write") refuseSecretArguments(args, runtime.scrubber, rawArgs);
  return args;
}

/** A read: the handler under the deadline (plus a grace), its result checked against the output schema. */
async function runRead(
  tool: CompiledTool,
  args: Record<string, unknown>,
  frame: CallFrame,
): Promise<CallOutcome> {
  const definition = tool.definition;
  if (definition.kind !== "read") throw new Error("runRead is for read tools");
  const out = await raceDeadline(
    definition.handler(args as never, frame.ctx),
    frame.ctx.deadline + DEADLINE_GRACE_MS,
  );
  if (out === OVERDUE)
    throw new ToolError("UPSTREAM_TIMEOUT", "The tool call did not finish before its deadline");
  return { kind: "ok", structured: validateOutput(tool, out, false, frame.logger), replayed: false };
}

/** A write: the idempotent write path (claim, replay or execute, record), settled into an outcome. */
async function runWriteCall(
  tool: CompiledTool,
  args: Record<string, unknown>,
  runtime: ToolRuntime,
  frame: CallFrame,
): Promise<CallOutcome> {
  const definition = tool.definition;
  if (definition.kind !== "write") throw new Error("runWriteCall is for write tools");
  const settled = await runWrite(definition, args, runtime, frame.ctx, {
    run: (callCtx) => definition.handler(args as never, callCtx),
    validate: (out) => validateOutput(tool, out, true, frame.logger),
    graceMs: DEADLINE_GRACE_MS,
  });
  const key = { value: settled.key, origin: settled.origin };
  switch (settled.kind) {
    case "ok":
      return { kind: "ok", structured: settled.structured, replayed: settled.replayed, key };
    case "error":
      return { kind: "error", envelope: settled.envelope, replayed: settled.replayed, key };
    case "input_required":
      return { kind: "input_required", result: settled.result, replayed: false, key };
  }
}

/**
 * Anything thrown before or around the handler, as an outcome: a read's question to a person
 * (`input_required`), or an error (`INTERNAL` logged with its cause).
 */
function failed(thrown: unknown, runtime: ToolRuntime, logger: Logger): CallOutcome {
  if (thrown instanceof InputRequiredSignal)
    return { kind: "input_required", result: thrown.result, replayed: false };
  const error = toToolError(thrown);
  if (error.code === "INTERNAL")
    logger.error({ err: error.cause ?? thrown }, "tool call failed unexpectedly");
  return {
    kind: "error",
    envelope: toErrorEnvelope(error, { scrub: runtime.scrubber.text }),
    replayed: false,
  };
}

/**
 * A success as it may leave the server: scrubbed of every configured secret value, then
 * (in that order, so no clip leaves a secret's prefix) fitted to the tool's result budget.
 * A result that cannot be fitted, or whose clipped form no longer satisfies the output
 * schema, becomes a terminal `UPSTREAM_CONTRACT_VIOLATION`: never an unbounded answer.
 */
function finishOutcome(
  tool: CompiledTool,
  outcome: CallOutcome,
  runtime: ToolRuntime,
  logger: Logger,
): CallOutcome {
  if (outcome.kind !== "ok") return outcome;
  const scrubbed = scrubResult(outcome.structured, runtime.scrubber);
  const budget = tool.definition.resultBudgetChars ?? DEFAULT_RESULT_BUDGET_CHARS;
  // The write key the pipeline added is what a caller reconciles by: never clipped.
  const fitted = fitResultBudget(scrubbed, budget, ["idempotency_key"]);
  if (fitted.fits && fitted.clippedFields === 0) return { ...outcome, structured: scrubbed };
  const valid =
    fitted.fits &&
    (tool.definition.output.safeParse(fitted.structured).success ||
      // A schema that does not accept its own output (a transform) cannot judge the clip.
      !tool.definition.output.safeParse(scrubbed).success);
  if (fitted.fits && valid) {
    logger.warn(
      { budgetChars: budget, clippedFields: fitted.clippedFields, resultChars: fitted.chars },
      "result over its budget: longest fields clipped",
    );
    return { ...outcome, structured: fitted.structured };
  }
  logger.error(
    { budgetChars: budget, resultChars: fitted.chars },
    "result over its budget even when clipped",
  );
  const error = new ToolError(
    "UPSTREAM_CONTRACT_VIOLATION",
    `The result is larger than this tool's budget of ${budget.toLocaleString("en-US")} characters even with its longest fields clipped; narrow the request (fewer items, a smaller limit).`,
    {
      sideEffect: tool.definition.kind === "write" ? "committed" : "none",
      details: { reason: "result_budget", budgetChars: budget },
    },
  );
  return {
    kind: "error",
    envelope: toErrorEnvelope(error, {
      scrub: runtime.scrubber.text,
      ...(outcome.key ? { idempotencyKey: outcome.key.value } : {}),
      ...(tool.definition.kind === "write" ? { replayed: outcome.replayed } : {}),
    }),
    replayed: outcome.replayed,
    ...(outcome.key ? { key: outcome.key } : {}),
  };
}

/**
 * The MCP result, scrubbed of every configured secret value whatever its kind: a success
 * (scrubbed and fitted by {@link finishOutcome}), the error envelope, or a question to a
 * person (its prompt texts).
 */
function toResult(outcome: CallOutcome, runtime: ToolRuntime): CallToolResult | InputRequiredResult {
  if (outcome.kind === "input_required") return scrubInputRequired(outcome.result, runtime.scrubber);
  if (outcome.kind === "error") return errorResult(outcome.envelope);
  return successResult(outcome.structured);
}

function validateOutput(
  tool: CompiledTool,
  out: unknown,
  isWrite: boolean,
  logger: Logger,
): Record<string, unknown> {
  const parsed = tool.definition.output.safeParse(out);
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
