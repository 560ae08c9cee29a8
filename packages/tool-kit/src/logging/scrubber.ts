/** The text that replaces a secret wherever it is found. */
export const REDACTED = "[REDACTED]";

/** Key names whose values are never logged, whatever they hold. */
const SECRET_KEY_PATTERN =
  /(^|[_\-.])?(token|secret|password|passwd|pwd|authorization|auth|api[_-]?key|apikey|x-api-key|cookie|set-cookie|credential|private[_-]?key|client[_-]?secret|refresh[_-]?token|access[_-]?token|bearer|session)s?$/i;

/**
 * Secrets shorter than this are not scrubbed by value: they would match ordinary text. The
 * configuration refuses shorter secrets, so none is left unscrubbed.
 */
export const MIN_SECRET_LENGTH = 6;

/** Lines of an error's stack kept in a log line (the first is `Name: message`). */
const STACK_LINES = 6;

/** How many of an `AggregateError`'s errors are kept in a log line. */
const AGGREGATED_ERRORS = 5;

/**
 * Removes secrets from text and values. By key name (`token`, `authorization`, …) and by
 * value: every configured secret value, in raw, JSON-escaped and URL-encoded form, wherever
 * it appears (a vendor body that echoes the token included).
 */
export interface Scrubber {
  /** `text` with every known secret value replaced by `[REDACTED]`. */
  text(text: string): string;
  /**
   * A deep copy of `value` with secret-named keys redacted and secret values scrubbed. An
   * `Error` becomes a plain object (name, message, code, a short stack, its cause chain).
   */
  value<T>(value: T): T;
}

/** Whether a key name marks its value as a secret. */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY_PATTERN.test(key);
}

/**
 * A scrubber over a live set of secret values; `secrets()` is read on every call so a
 * rotated secret (re-read on SIGHUP) is scrubbed from then on.
 */
export function createScrubber(secrets: () => Iterable<string> = () => []): Scrubber {
  let cachedKey = "";
  let cachedForms: string[] = [];

  const forms = (): string[] => {
    const values = [...secrets()].filter((s) => typeof s === "string" && s.length >= MIN_SECRET_LENGTH);
    const key = values.join("\u0000");
    if (key !== cachedKey) {
      const all = new Set<string>();
      for (const v of values) {
        all.add(v);
        all.add(JSON.stringify(v).slice(1, -1));
        all.add(encodeURIComponent(v));
      }
      // Longest first, so a secret that contains another is replaced whole.
      cachedForms = [...all].sort((a, b) => b.length - a.length);
      cachedKey = key;
    }
    return cachedForms;
  };

  const text = (input: string): string => {
    let out = input;
    for (const form of forms()) {
      if (out.includes(form)) out = out.split(form).join(REDACTED);
    }
    return out;
  };

  const walk = (value: unknown, depth: number): unknown => {
    if (typeof value === "string") return text(value);
    if (value === null || typeof value !== "object") return value;
    if (depth > 12) return "[…]";
    try {
      if (Array.isArray(value)) return value.map((v) => walk(v, depth + 1));
      if (isError(value)) return walkError(value, depth);
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        out[k] = isSecretKey(k) && v !== undefined && v !== null ? REDACTED : walk(v, depth + 1);
      }
      return out;
    } catch {
      // A hostile or broken object (a Proxy whose traps throw) must not make logging throw.
      return "[unreadable]";
    }
  };

  /**
   * An error as a plain, scrubbed object: name, message, code, the first lines of its stack,
   * and its cause chain (and an `AggregateError`'s errors), each serialised the same way.
   */
  const walkError = (error: Error, depth: number): Record<string, unknown> => {
    const out: Record<string, unknown> = {
      name: text(String(error.name)),
      message: text(String(error.message)),
    };
    const code = (error as { code?: unknown }).code;
    if (code !== undefined && code !== null) out.code = walk(code, depth + 1);
    if (typeof error.stack === "string" && error.stack !== "") {
      out.stack = text(error.stack.split("\n").slice(0, STACK_LINES).join("\n"));
    }
    if (error.cause !== undefined) out.cause = walk(error.cause, depth + 1);
    const errors = (error as { errors?: unknown }).errors;
    if (Array.isArray(errors) && errors.length > 0) {
      out.errors = errors.slice(0, AGGREGATED_ERRORS).map((e) => walk(e, depth + 1));
    }
    return out;
  };

  return { text, value: <T>(v: T) => walk(v, 0) as T };
}

/** Whether `value` is an error, also one from another realm (`vm`, a worker). */
function isError(value: object): value is Error {
  return value instanceof Error || Object.prototype.toString.call(value) === "[object Error]";
}
