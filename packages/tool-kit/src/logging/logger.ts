import { writeSync } from "node:fs";
import pino, { type LevelWithSilent, type Logger } from "pino";
import { createScrubber, type Scrubber } from "./scrubber.js";

export type { Logger } from "pino";

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** Fields on every line (server, env, run id). */
  base?: Record<string, unknown>;
  level?: LevelWithSilent;
  scrubber?: Scrubber;
  /** Where finished lines go; defaults to a synchronous write to stderr (fd 2). */
  write?: (line: string) => void;
}

/**
 * A pino logger that writes JSON lines to stderr, never stdout (stdout is the stdio
 * protocol channel). Every line passes through the scrubber twice: secret-named keys are
 * redacted on the object, and every configured secret value is removed from the finished
 * line, wherever it hides (messages, error texts, echoed vendor bodies).
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const scrubber = options.scrubber ?? createScrubber();
  const write = options.write ?? ((line: string) => writeSync(2, line));
  return pino(
    {
      level: options.level ?? "info",
      base: options.base ?? {},
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ level: label }),
        log: (object) => scrubber.value(object),
      },
      serializers: {
        err: (err: unknown) => scrubber.value(serializeError(err)),
      },
    },
    { write: (line: string) => write(scrubber.text(line)) },
  );
}

/** An error as a log field: name, message, code and cause chain, no stack unless debugging. */
function serializeError(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { message: String(err) };
  const out: Record<string, unknown> = { name: err.name, message: err.message };
  const code = (err as { code?: unknown }).code;
  if (code !== undefined) out.code = code;
  if (err.stack) out.stack = err.stack.split("\n").slice(0, 6).join("\n");
  if (err.cause !== undefined) out.cause = serializeError(err.cause);
  return out;
}
