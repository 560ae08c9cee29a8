import pino, { type LevelWithSilent, type Logger } from "pino";
import { createLineWriter } from "./line-writer.js";
import { boundForLog, boundLine } from "./log-bounds.js";
import { createScrubber, type Scrubber } from "./scrubber.js";

export type { Logger } from "pino";

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** Fields on every line (server, env, run id). */
  base?: Record<string, unknown>;
  level?: LevelWithSilent;
  scrubber?: Scrubber;
  /** Where finished lines go; defaults to a synchronous, whole-line write to stderr (fd 2). */
  write?: (line: string) => void;
}

/**
 * A pino logger that writes JSON lines to stderr, never stdout (stdout is the stdio
 * protocol channel). Every line passes through the scrubber twice: secret-named keys are
 * redacted on the object, and every configured secret value is removed from the finished
 * line, wherever it hides (messages, error texts, echoed vendor bodies). Every line is
 * bounded (`LOG_BOUNDS`: keys, strings, counts, depth, then the whole line), whatever a
 * caller sent, and written whole even to a slow pipe (see `createLineWriter`).
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const scrubber = options.scrubber ?? createScrubber();
  const write = options.write ?? createLineWriter(2);
  return pino(
    {
      level: options.level ?? "info",
      base: options.base ?? {},
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ level: label }),
        log: (object) => boundForLog(scrubber.value(object)) as Record<string, unknown>,
      },
      serializers: {
        err: (err: unknown) => serializeErr(scrubber, err),
      },
    },
    { write: (line: string) => write(boundLine(scrubber.text(line))) },
  );
}

/**
 * The `err` field. pino runs `formatters.log` before the serializers, so an error has already
 * been turned into a plain, scrubbed object by the scrubber (name, message, code, a short
 * stack, the cause chain): pass it through. Anything else (an error not seen by the
 * formatter, a thrown string) is serialised and scrubbed here.
 */
function serializeErr(scrubber: Scrubber, err: unknown): unknown {
  if (err !== null && typeof err === "object" && !(err instanceof Error) && !Array.isArray(err)) return err;
  if (err instanceof Error) return scrubber.value(err);
  return { message: scrubber.text(String(err)) };
}
