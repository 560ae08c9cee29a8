import type { z } from "zod";
import type { CallScope, CallStats } from "../core/call-scope.js";
import type { StateSeal } from "../core/state-seal.js";
import type { WindowReservation } from "../idempotency/store.js";
import type { Logger } from "../logging/index.js";
import type { Elicit } from "./elicitation.js";
import type { AbortReason, ProgressReporter } from "./progress.js";

/** `read` tools never change state; `write` tools go through idempotency and caps. */
export type ToolKind = "read" | "write";

/** Any zod object schema (tool inputs and outputs are always objects). */
export type ObjectSchema = z.ZodObject<z.ZodRawShape>;

/** What a handler gets besides its validated arguments. */
export interface ToolContext {
  /** Aborted when the call's deadline passes or the client cancels. */
  signal: AbortSignal;
  /** Epoch ms by which the call must finish. */
  deadline: number;
  stats: CallStats;
  /** Pass to every upstream request: carries signal, deadline and counters. */
  scope: CallScope;
  logger: Logger;
  /** For write tools: this call's idempotency key (stamp it on what you create, to reconcile). */
  idempotencyKey?: string;
  /** Reports progress to the client (`notifications/progress`); a no-op when it sent no progress token. */
  progress: ProgressReporter;
  /** Why `signal` aborted (`cancelled` by the client, or the `deadline`); undefined while it has not. */
  abortReason(): AbortReason | undefined;
  /**
   * Asks a person (MCP elicitation, form mode) and resolves with the accepted content.
   * Throws `ElicitationRefused` (PERMISSION_DENIED; a write's key is released) on decline,
   * cancel or a client that cannot ask. Absent when the call came from no MCP request.
   */
  elicit?: Elicit;
  /**
   * The server's secret values removed from `text` (the scrubber every result goes through).
   * Scrub before clipping vendor text: a clip that cuts a secret leaves a prefix the
   * result's own scrubbing can no longer recognise.
   */
  scrub(text: string): string;
  /** Seals state the client carries back (a cursor), so it cannot be forged or moved; see `GTM_STATE_SECRET`. */
  seal: StateSeal;
}

/** How a write tool's idempotency key is derived from its arguments. */
export type KeySource =
  /** A create: the target it acts on and the caller's logical occurrence. */
  | { target: string; occurrence: string }
  /** An upsert: the canonical arguments themselves. */
  | { canonical: unknown };

/** Hints beyond what `kind` implies; set them truthfully. */
export interface ToolHints {
  /** For writes: whether the change can destroy or overwrite data (default true). */
  destructiveHint?: boolean;
  /** Whether the tool reaches outside the server (a vendor); default true. */
  openWorldHint?: boolean;
}

interface ToolBase<I extends ObjectSchema, O extends ObjectSchema> {
  /** snake_case verb_noun. */
  name: string;
  title: string;
  description: string;
  input: I;
  output: O;
  hints?: ToolHints;
  /** Deadline of one call (default 8 s). */
  deadlineMs?: number;
  /**
   * Most characters of a successful result's JSON text (default
   * `DEFAULT_RESULT_BUDGET_CHARS`, 65,536). A larger result has its longest strings clipped,
   * each stating its length (`…[clipped: 104,857 chars]`); one that still does not fit is
   * answered `UPSTREAM_CONTRACT_VIOLATION`. Set it above what the tool pages by (a row
   * budget) so the tool's own truncation, with its cursor, comes first.
   */
  resultBudgetChars?: number;
}

/** A tool that only reads. */
export interface ReadToolDefinition<I extends ObjectSchema, O extends ObjectSchema> extends ToolBase<I, O> {
  kind: "read";
  handler(args: z.output<I>, ctx: ToolContext): Promise<z.input<O>>;
}

/** A tool that changes state upstream. */
export interface WriteToolDefinition<I extends ObjectSchema, O extends ObjectSchema> extends ToolBase<I, O> {
  kind: "write";
  /** The result must not carry `idempotency_key` or `replayed`: the pipeline adds them. */
  handler(args: z.output<I>, ctx: ToolContext & { idempotencyKey: string }): Promise<z.input<O>>;
  idempotency: {
    key(args: z.output<I>): KeySource;
    /**
     * Runs when an earlier attempt's outcome is unknown: find what it did (by the marker the
     * handler stamped). Return the result when found, `null` when it certainly did not act.
     * Throw (any error) when it cannot tell: the call returns `OUTCOME_UNKNOWN`.
     * Absent: the tool re-executes only when `reexecuteWhenUnknown` is true; otherwise the
     * call returns `OUTCOME_UNKNOWN` for a human to resolve.
     */
    reconcile?(args: z.output<I>, ctx: ToolContext & { idempotencyKey: string }): Promise<z.input<O> | null>;
    /** The upstream write is itself idempotent (an upsert on a stable id): repeating it is safe. */
    reexecuteWhenUnknown?: boolean;
  };
  /** Caps besides `writes` this tool counts against (`sends`, `credits`). */
  caps?: string[];
  /**
   * Time-window limits keyed by something other than the run (a recipient's cooldown),
   * checked and taken atomically with the claim; a held one is `CAP_EXCEEDED` naming it,
   * with `retryAfterMs` until it ends. May read upstream (with `ctx.scope`) to find the
   * subject; return none when the call will replay or fail anyway.
   */
  windows?(args: z.output<I>, ctx: ToolContext): Promise<WindowReservation[]> | WindowReservation[];
}

/** A tool of either kind. */
export type ToolDefinition<I extends ObjectSchema = ObjectSchema, O extends ObjectSchema = ObjectSchema> =
  | ReadToolDefinition<I, O>
  | WriteToolDefinition<I, O>;

/**
 * Declares a tool once; the pipeline derives validation, listing, annotations, idempotency
 * and logging from the declaration. Returns it unchanged (typed).
 */
export function defineTool<I extends ObjectSchema, O extends ObjectSchema>(
  definition: ReadToolDefinition<I, O>,
): ReadToolDefinition<I, O>;
export function defineTool<I extends ObjectSchema, O extends ObjectSchema>(
  definition: WriteToolDefinition<I, O>,
): WriteToolDefinition<I, O>;
export function defineTool(definition: ToolDefinition): ToolDefinition {
  return definition;
}

/** The same tool with its schema types erased, for lists of mixed tools. */
export type AnyTool =
  | ReadToolDefinition<ObjectSchema, ObjectSchema>
  | WriteToolDefinition<ObjectSchema, ObjectSchema>;
