// Types the write path's two halves share (claiming in write-path.ts, executing and
// recording in write-execution.ts), in a leaf module so neither imports the other for them.
import type { InputRequiredResult } from "@modelcontextprotocol/server";
import type { ErrorEnvelope } from "../errors/index.js";
import type { IdempotencyStore } from "../idempotency/store.js";
import type { ObjectSchema, ToolContext, WriteToolDefinition } from "./define-tool.js";
import type { ToolRuntime } from "./runtime.js";

/** A write tool with its schema types erased. */
export type WriteTool = WriteToolDefinition<ObjectSchema, ObjectSchema>;

/** How a write call settled: a result to return, or an error envelope (maybe replayed). */
export type WriteSettlement =
  | { kind: "ok"; structured: Record<string, unknown>; replayed: boolean; key: string }
  | { kind: "error"; envelope: ErrorEnvelope; replayed: boolean; key: string }
  /** The handler asked a person: the key was released; the call answering it claims again. */
  | { kind: "input_required"; result: InputRequiredResult; replayed: false; key: string };

/** How the pipeline runs a write tool's handler and checks what it returns. */
export interface WriteHooks {
  /** Starts the handler (no deadline of its own: the write path races it). */
  run(ctx: ToolContext & { idempotencyKey: string }): Promise<unknown>;
  /** Validates a handler's (or reconcile's) result against the tool's output schema. */
  validate(out: unknown): Record<string, unknown>;
  /** How long past the deadline a handler that ignores its signal is waited for. */
  graceMs: number;
}

/** A claimed key and everything needed to act on it. */
export interface OwnedWrite {
  tool: WriteTool;
  args: Record<string, unknown>;
  runtime: ToolRuntime;
  store: IdempotencyStore;
  ctx: ToolContext & { idempotencyKey: string };
  owner: string;
  ttlMs: number;
  hooks: WriteHooks;
}

/**
 * Where a write's key came from, as the call log shows it: the caller's `idempotency_key`
 * argument, the tool's target and `occurrence`, or the canonical arguments (an upsert).
 */
export type KeyOrigin = "idempotency_key" | "occurrence" | "arguments";
