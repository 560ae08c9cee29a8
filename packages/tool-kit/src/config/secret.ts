import { readFileSync } from "node:fs";
import type { CredentialProvider } from "../upstream/types.js";
import { ConfigError } from "./config-error.js";

/**
 * A secret from the environment or from `<NAME>_FILE`. It is never a plain string in
 * config objects, so it cannot be logged or returned by accident; read it with `get()` at
 * the point of use. File-backed secrets are re-read by `refresh()` (on SIGHUP, or when the
 * vendor answers 401) so a rotated credential is picked up without a restart.
 */
export class Secret {
  readonly name: string;
  /** The file the value came from, when it came from `<NAME>_FILE`. */
  readonly file: string | undefined;
  #value: string;

  constructor(name: string, value: string, file?: string) {
    this.name = name;
    this.file = file;
    this.#value = value;
  }

  /** The current value. */
  get(): string {
    return this.#value;
  }

  /** Re-reads the file; true when the value changed. False for secrets not from a file. */
  async refresh(): Promise<boolean> {
    if (!this.file) return false;
    const next = readSecretFile(this.name, this.file);
    if (next === this.#value) return false;
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

/** Reads a secret file, trimming the trailing newline editors add. */
export function readSecretFile(name: string, file: string): string {
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
  return value;
}

/** Every secret a server loaded: for the scrubber and for reloading on SIGHUP. */
export class SecretRegistry {
  readonly #secrets = new Map<string, Secret>();

  add(secret: Secret): void {
    this.#secrets.set(secret.name, secret);
  }

  /** Current values of every secret (what the scrubber removes). */
  values(): string[] {
    return [...this.#secrets.values()].map((s) => s.get());
  }

  /** Re-reads every file-backed secret; returns the names that changed. */
  async reload(): Promise<string[]> {
    const changed: string[] = [];
    for (const secret of this.#secrets.values()) if (await secret.refresh()) changed.push(secret.name);
    return changed;
  }
}
