import { readFile } from "node:fs/promises";
import type { CredentialProvider } from "./types.js";

/** Options of {@link fileCredential}. */
export interface FileCredentialOptions {
  /** The value already read at start-up (config parsing reads `_FILE` once); read lazily when absent. */
  initial?: string;
}

/** A credential read from a `<NAME>_FILE`, with `current()` for a value scrubber. */
export interface FileCredential extends CredentialProvider {
  get(): Promise<string>;
  refresh(): Promise<boolean>;
  /** The secret as last read (undefined before the first read): feed it to the scrubber. */
  current(): string | undefined;
}

/**
 * A credential whose secret lives in a file (`HUBSPOT_TOKEN_FILE`, a mounted Kubernetes
 * secret). `refresh()` re-reads the file and reports whether the secret changed, so the
 * client can re-send a request that got a 401 with the rotated secret, without a restart.
 * Surrounding whitespace (the trailing newline editors add) is not part of the secret.
 * A missing, unreadable or empty file rejects (the error names the path, never the value).
 */
export function fileCredential(path: string, options: FileCredentialOptions = {}): FileCredential {
  let value = options.initial?.trim();

  const read = async (): Promise<string> => (await readFile(path, "utf8")).trim();

  return {
    async get() {
      if (value === undefined) {
        const first = await read();
        if (first === "") throw new Error(`credential file ${path} is empty`);
        value = first;
      }
      return value;
    },
    async refresh() {
      const next = await read();
      // A rotation tool that truncates before it writes leaves an empty file for a moment:
      // keep the old secret rather than send an empty one.
      if (next === "" || next === value) return false;
      value = next;
      return true;
    },
    current: () => value,
  };
}

/** A credential that never changes (an env var): no `refresh`, so a 401 is final. */
export function staticCredential(value: string): CredentialProvider {
  return { get: () => value };
}
