import { createStateSeal } from "../core/state-seal.js";
import type { IdempotencyStore } from "../idempotency/store.js";
import { createLogger, createScrubber } from "../logging/index.js";
import {
  CallTracker,
  DEFAULT_IDEMPOTENCY,
  type GtmEnv,
  type IdempotencySettings,
  type ToolRuntime,
} from "../tools/runtime.js";

/** Options of {@link createTestRuntime}. */
export interface TestRuntimeOptions {
  server?: string;
  env?: GtmEnv;
  runId?: string;
  writesEnabled?: boolean;
  store?: IdempotencyStore;
  /** Secret values the scrubber removes. */
  secrets?: string[];
  caps?: Record<string, number>;
  idempotency?: Partial<IdempotencySettings>;
  /** Key of the state seal (default: a random one, as a server without `GTM_STATE_SECRET`). */
  stateSecret?: string;
}

/** A runtime for tests, and the JSON log lines it wrote (parsed). */
export interface TestRuntime {
  runtime: ToolRuntime;
  /** Raw log lines as written (after scrubbing). */
  lines: string[];
  /** The log lines parsed; `callLines()` only the per-call lines. */
  logs(): Array<Record<string, unknown>>;
  callLines(): Array<Record<string, unknown>>;
}

/** Builds a {@link ToolRuntime} whose log lines are captured in memory instead of stderr. */
export function createTestRuntime(options: TestRuntimeOptions = {}): TestRuntime {
  const lines: string[] = [];
  const secrets = options.secrets ?? [];
  const scrubber = createScrubber(() => secrets);
  const env = options.env ?? "sandbox";
  const runId = options.runId ?? "test-run";
  const server = options.server ?? "test";
  const logger = createLogger({
    level: "debug",
    scrubber,
    base: { server, env, runId },
    write: (line) => lines.push(line),
  });
  const runtime: ToolRuntime = {
    server: { name: server, version: "0.0.0-test" },
    env,
    runId,
    writesEnabled: options.writesEnabled ?? true,
    logger,
    scrubber,
    seal: createStateSeal(options.stateSecret),
    ...(options.store ? { store: options.store } : {}),
    caps: { writes: 100, ...options.caps },
    idempotency: { ...DEFAULT_IDEMPOTENCY, ...options.idempotency },
    tracker: new CallTracker(),
  };
  const logs = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { runtime, lines, logs, callLines: () => logs().filter((l) => l.event === "tool_call") };
}
