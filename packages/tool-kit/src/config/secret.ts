import { readFileSync } from "node:fs";
import { MIN_SECRET_LENGTH } from "../logging/scrubber.js";
import type { CredentialProvider } from "../upstream/types.js";
import { ConfigError } from "./config-error.js";

/**
 * How many earlier values of each secret stay in the scrub set after rotations: a vendor
 * may keep accepting (and echoing) a rotated-out token for a while.
 */
const PREVIOUS_VALUES_KEPT = 5;

/** Options of a {@link Secret}. */
export interface SecretOptions {
  /**
   * For a secret that holds several values (a list of bearer tokens): splits the value into
   * its parts and checks them, throwing `ConfigError` when one is unusable. Every part is
   * scrubbed on its own, since a log line may show one token without the others.
   */
  split?: (value: string) => string[];
  /**
   * The shortest value accepted (default: the scrubber's minimum). Only the sandbox, whose
   * credentials are fakes for local emulators, accepts shorter ones.
   */
  minLength?: number;
}

/**
 * A secret from the environment or from `<NAME>_FILE`. It is never a plain string in
 * config objects, so it cannot be logged or returned by accident; read it with `get()` at
 * the point of use. File-backed secrets are re-read by `refresh()` (on SIGHUP, or when the
 * vendor answers 401) so a rotated credential is picked up without a restart; the values it
 * held before stay known (see {@link Secret.previousValues}) so they are still scrubbed.
 */
export class Secret {
  readonly name: string;
  /** The file the value came from, when it came from `<NAME>_FILE`. */
  readonly file: string | undefined;
  #value: string;
  #previous: string[] = [];
  readonly #split: ((value: string) => string[]) | undefined;
  readonly #minLength: number;

  constructor(name: string, value: string, file?: string, options: SecretOptions = {}) {
    this.name = name;
    this.file = file;
    this.#value = value;
    this.#split = options.split;
    this.#minLength = options.minLength ?? MIN_SECRET_LENGTH;
  }

  /** The current value. */
  get(): string {
    return this.#value;
  }

  /** The parts of the current value (see {@link SecretOptions.split}); the whole value when not split. */
  parts(): string[] {
    return this.#split ? this.#split(this.#value) : [this.#value];
  }

  /** Everything the scrubber must remove: current and previous values, and the parts of each. */
  scrubValues(): string[] {
    const all = [this.#value, ...this.#previous];
    if (!this.#split) return all;
    for (const value of [this.#value, ...this.#previous]) {
      try {
        all.push(...this.#split(value));
      } catch {
        // Only values that split cleanly are ever held, so this does not happen.
      }
    }
    return all;
  }

  /**
   * The values this secret held before its last rotations, newest first (at most
   * {@link PREVIOUS_VALUES_KEPT}), for the life of the process.
   */
  previousValues(): readonly string[] {
    return [...this.#previous];
  }

  /**
   * Re-reads the file; true when the value changed. False for secrets not from a file.
   * Throws `ConfigError` (and keeps the current value) when the file is unreadable, empty,
   * holds a value too short to be a credential, or (for a split secret) an unusable part.
   */
  async refresh(): Promise<boolean> {
    if (!this.file) return false;
    const next = readSecretFile(this.name, this.file, this.#minLength);
    if (next === this.#value) return false;
    this.#split?.(next);
    this.#previous = [this.#value, ...this.#previous.filter((v) => v !== this.#value && v !== next)].slice(
      0,
      PREVIOUS_VALUES_KEPT,
    );
    this.#value = next;
    return true;
  }

  /**
   * This secret as an upstream credential. Only a file-backed secret can be re-read, so
   * only it offers `refresh` (the client re-sends once after a 401 when the file changed).
   */
  asCredential(): CredentialProvider {
    return this.file ? { get: () => this.get(), refresh: () => this.refresh() } : { get: () => this.get() };
  }

  toJSON(): string {
    return "[REDACTED]";
  }

  toString(): string {
    return "[REDACTED]";
  }
}

/**
 * Refuses a secret too short to be told from ordinary text: the scrubber could not remove it
 * by value, so it would leak into logs and error texts.
 *
 * @throws ConfigError naming `name`.
 */
export function assertScrubbableSecret(name: string, value: string, minLength = MIN_SECRET_LENGTH): void {
  if (value.length < minLength) {
    throw new ConfigError(name, `is too short to be a credential (at least ${minLength} characters)`);
  }
}

/**
 * Reads a secret file, trimming the trailing newline editors add.
 *
 * @throws ConfigError when the file is unreadable or empty (naming `<name>_FILE`), or when
 * the value is too short to be a credential (naming `name`).
 */
export function readSecretFile(name: string, file: string, minLength = MIN_SECRET_LENGTH): string {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
    throw new ConfigError(
      `${name}_FILE`,
      `cannot read ${file} (${code}); expected a readable file holding the secret`,
    );
  }
  const value = text.replace(/\r?\n$/, "");
  if (value.trim() === "")
    throw new ConfigError(`${name}_FILE`, `${file} is empty; expected the secret value`);
  assertScrubbableSecret(name, value, minLength);
  return value;
}

/** What {@link SecretRegistry.reload} did. */
export interface SecretReloadResult {
  /** Names of the secrets whose value changed. */
  changed: string[];
  /** Secrets whose file could not be re-read; they keep their previous value. */
  failed: Array<{ name: string; problem: string }>;
}

/** Every secret a server loaded: for the scrubber and for reloading on SIGHUP. */
export class SecretRegistry {
  readonly #secrets = new Map<string, Secret>();
  /** Values of secrets replaced by `add` under the same name: still scrubbed. */
  readonly #replaced = new Map<string, string[]>();
  /** Credentials the server derived at run time, by name: the newest first. */
  readonly #derived = new Map<string, string[]>();

  /** The secrets read from a `<NAME>_FILE`, by name and file (for the metrics' file age). */
  files(): Array<{ name: string; file: string }> {
    return [...this.#secrets.values()].flatMap((s) => (s.file ? [{ name: s.name, file: s.file }] : []));
  }

  add(secret: Secret): void {
    const before = this.#secrets.get(secret.name);
    if (before !== undefined && before !== secret) {
      const kept = [before.get(), ...before.previousValues(), ...(this.#replaced.get(secret.name) ?? [])];
      this.#replaced.set(secret.name, [...new Set(kept)].slice(0, PREVIOUS_VALUES_KEPT));
    }
    this.#secrets.set(secret.name, secret);
  }

  /**
   * Registers a credential the server derives at run time (a JWT it mints from a private
   * key, an access token it obtains with a refresh token) with the scrubber, before the
   * credential is used: a vendor that echoes it (an error body, a cell of a query) must not
   * hand a live bearer credential to the model or the log. Call it each time a new value is
   * made; the last {@link PREVIOUS_VALUES_KEPT} values under a name stay scrubbed (an
   * earlier one may still be valid, and echoed, for a while). Not reloaded by `reload`, and
   * never refused for its length: a value shorter than the scrubber's minimum cannot be
   * scrubbed by value, as for configured secrets.
   *
   * @example secrets.derive("SNOWFLAKE_JWT", jwt)
   */
  derive(name: string, value: string): void {
    const before = this.#derived.get(name) ?? [];
    if (before[0] === value) return;
    this.#derived.set(name, [value, ...before.filter((v) => v !== value)].slice(0, PREVIOUS_VALUES_KEPT));
  }

  /**
   * What the scrubber removes: the current value of every secret, and the values each held
   * before a rotation (a SIGHUP reload or a re-read after a 401), the last
   * {@link PREVIOUS_VALUES_KEPT} per secret, for the life of the process: a vendor may keep
   * accepting, and echoing, a rotated-out token. Also every credential registered with
   * {@link SecretRegistry.derive} (the last few per name).
   */
  values(): string[] {
    const all = new Set<string>();
    for (const secret of this.#secrets.values()) for (const v of secret.scrubValues()) all.add(v);
    for (const values of this.#replaced.values()) for (const v of values) all.add(v);
    for (const values of this.#derived.values()) for (const v of values) all.add(v);
    return [...all];
  }

  /**
   * Re-reads every file-backed secret. A file that cannot be read (missing, empty, too short)
   * does not stop the others: its secret keeps its previous value and is reported in `failed`.
   */
  async reload(): Promise<SecretReloadResult> {
    const result: SecretReloadResult = { changed: [], failed: [] };
    for (const secret of this.#secrets.values()) {
      try {
        if (await secret.refresh()) result.changed.push(secret.name);
      } catch (error) {
        result.failed.push({
          name: secret.name,
          problem: error instanceof Error ? error.message : String(error),
        });
      }
    }
    return result;
  }
}
