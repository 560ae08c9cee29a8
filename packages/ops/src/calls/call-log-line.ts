/** What the report needs of one call-log line (the tool-kit's `ToolCallLine` plus pino's fields). */
export interface CallRecord {
  tool: string;
  server: string;
  /** Epoch ms, from the line's ISO `time`. */
  time: number;
  durationMs: number;
  outcome: string;
  replayed: boolean;
  retried: boolean;
}

/** A vendor answer that failed its schema, as the upstream client logs it. */
export interface DriftRecord {
  server: string;
  system: string;
  operation: string;
  time: number;
  /** The first drifted path, for the table. */
  path: string;
}

/** One line of a server's stderr, read: a call, a drift, or nothing the report uses. */
export type ReadLine = { kind: "call"; call: CallRecord } | { kind: "drift"; drift: DriftRecord } | undefined;

/**
 * Reads one stderr line. Anything that is not a JSON object with the call log's fields (a
 * start-up line, a warning, a line cut short) is skipped, never an error: the report runs over
 * whole log files as they are.
 */
export function readLogLine(text: string): ReadLine {
  const trimmed = text.trim();
  if (!trimmed.startsWith("{")) return undefined;
  let line: Record<string, unknown>;
  try {
    line = JSON.parse(trimmed) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const time =
    typeof line.time === "string"
      ? Date.parse(line.time)
      : typeof line.time === "number"
        ? line.time
        : Number.NaN;
  if (!Number.isFinite(time)) return undefined;
  const server = typeof line.server === "string" ? line.server : "-";
  if (line.event === "tool_call" && typeof line.tool === "string" && typeof line.outcome === "string") {
    return {
      kind: "call",
      call: {
        tool: line.tool,
        server,
        time,
        durationMs: typeof line.durationMs === "number" ? line.durationMs : 0,
        outcome: line.outcome,
        replayed: line.replayed === true,
        retried: line.retried === true,
      },
    };
  }
  if (Array.isArray(line.drift) && typeof line.system === "string" && typeof line.operation === "string") {
    const first = line.drift[0] as { path?: unknown } | undefined;
    return {
      kind: "drift",
      drift: {
        server,
        system: line.system,
        operation: line.operation,
        time,
        path: typeof first?.path === "string" ? first.path : "-",
      },
    };
  }
  return undefined;
}
