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
   * A deep copy of `value` with secret-named keys redacted and secret values scrubbed (in
   * strings and in keys, so a later bound on either never cuts a secret). An
   * `Error` becomes a plain object (name, message, code, a short stack, its cause chain).
   */
  value<T>(value: T): T;
}

/** Whether a key name marks its value as a secret. */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY_PATTERN.test(key);
}

/**
 * Shortest line of a PEM body scrubbed on its own: a base64 line this long does not occur in
 * ordinary text (a full line is 64 characters; only the last is shorter).
 */
export const MIN_KEY_LINE_LENGTH = 16;

/** A PEM block: its label, and what lies between its BEGIN and END lines. */
const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]{1,64})-----([\s\S]*?)-----END \1-----/g;

/** Line ends and spaces inside a PEM body, raw or JSON-escaped (`\n`, `\r\n` as text). */
const PEM_GAP = /(?:\s|\\[rnt])+/;

/** Between two characters of a PEM body in the text: any run of line ends and spaces, raw or escaped. */
const PEM_GAP_SOURCE = "(?:\\s|\\\\[rnt])*";

/** What one set of secret values is scrubbed by, longest spans first. */
interface ScrubForms {
  /** Whole values, in raw, JSON-escaped and URL-encoded form. */
  values: string[];
  /** Each PEM body as one pattern, whatever line ends (LF, CRLF, escaped, none) or wrapping it is shown with. */
  bodies: RegExp[];
  /** Each line of a PEM body, alone (a vendor cell holding one line of a key). */
  lines: string[];
}

/**
 * The base64 bodies of the PEM blocks in `value` (a private key), each as its lines: header
 * lines of an encrypted key (`Proc-Type: …`) are left out, as they are not key material.
 */
export function pemBodies(value: string): string[][] {
  const bodies: string[][] = [];
  for (const match of value.matchAll(PEM_BLOCK)) {
    const lines = (match[2] ?? "")
      .split(PEM_GAP)
      .filter((line) => line !== "" && /^[A-Za-z0-9+/=]+$/.test(line));
    if (lines.length > 0) bodies.push(lines);
  }
  return bodies;
}

function formsOf(values: string[]): ScrubForms {
  const all = new Set<string>();
  const lines = new Set<string>();
  const bodies: RegExp[] = [];
  for (const v of values) {
    all.add(v);
    all.add(JSON.stringify(v).slice(1, -1));
    all.add(encodeURIComponent(v));
    for (const body of pemBodies(v)) {
      const joined = body.join("");
      if (joined.length >= MIN_KEY_LINE_LENGTH) {
        // One character at a time, any gap of line ends between: no alternation a base64
        // character can enter, so matching stays linear.
        const source = [...joined].map((c) => c.replace(/[+/=]/g, "\\$&")).join(PEM_GAP_SOURCE);
        bodies.push(new RegExp(source, "g"));
      }
      for (const line of body) {
        if (line.length < MIN_KEY_LINE_LENGTH) continue;
        lines.add(line);
        lines.add(encodeURIComponent(line));
      }
    }
  }
  // Longest first, so a secret that contains another is replaced whole.
  const longestFirst = (set: Set<string>) => [...set].sort((a, b) => b.length - a.length);
  return { values: longestFirst(all), bodies, lines: longestFirst(lines) };
}

/**
 * A scrubber over a live set of secret values; `secrets()` is read on every call so a
 * rotated secret (re-read on SIGHUP) is scrubbed from then on.
 *
 * Key material is scrubbed by its body too: for a secret holding a PEM block (a private
 * key), its base64 body is removed whatever line ends it is shown with (LF, CRLF, escaped,
 * none at all, re-wrapped), with or without its BEGIN/END lines, and so is each of its lines
 * on its own (those of at least {@link MIN_KEY_LINE_LENGTH} characters).
 */
export function createScrubber(secrets: () => Iterable<string> = () => []): Scrubber {
  let cachedKey = "";
  let cached: ScrubForms = { values: [], bodies: [], lines: [] };

  const forms = (): ScrubForms => {
    const values = [...secrets()].filter((s) => typeof s === "string" && s.length >= MIN_SECRET_LENGTH);
    const key = values.join("\u0000");
    if (key !== cachedKey) {
      cached = formsOf(values);
      cachedKey = key;
    }
    return cached;
  };

  const text = (input: string): string => {
    const { values, bodies, lines } = forms();
    let out = input;
    for (const form of values) {
      if (out.includes(form)) out = out.split(form).join(REDACTED);
    }
    for (const body of bodies) out = out.replace(body, REDACTED);
    for (const line of lines) {
      if (out.includes(line)) out = out.split(line).join(REDACTED);
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
        // The key is scrubbed too (an argument name can hold a secret), before any bound cuts it.
        out[text(k)] = isSecretKey(k) && v !== undefined && v !== null ? REDACTED : walk(v, depth + 1);
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
      // Scrubbed whole, then cut: a cut between lines would leave part of a multi-line secret.
      out.stack = text(error.stack).split("\n").slice(0, STACK_LINES).join("\n");
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
