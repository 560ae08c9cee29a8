import { statSync } from "node:fs";
import { Gauge, type Registry } from "prom-client";
import { subscribeObserveEvents } from "../observe/events.js";

/** The `_FILE` secrets to watch: by variable name and path. */
export type SecretFiles = () => Array<{ name: string; file: string }>;

/**
 * `gtm_credential_expiry_seconds{credential,renewed}`: seconds until a credential stops working
 * (`renewed="true"`: the process renews it itself, so only a negative value is news), from
 * what providers report (`reportCredentialExpiry`, or a provider's `expiresAt()` read after
 * each upstream attempt); negative once expired. `gtm_secret_file_age_seconds{secret}`: how
 * long since each `<NAME>_FILE` changed (its mtime), read at every scrape. Returns the
 * unsubscribe function and the setter of the watched files.
 */
export function registerCredentialMetrics(
  registry: Registry,
  now: () => number,
): { unsubscribe: () => void; watchSecretFiles(files: SecretFiles): void } {
  const expiries = new Map<string, { at: number; renewed: boolean }>();
  let files: SecretFiles = () => [];
  new Gauge({
    name: "gtm_credential_expiry_seconds",
    help: "Seconds until the credential expires (negative: expired), where it is knowable",
    labelNames: ["credential", "renewed"] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const [credential, { at, renewed }] of expiries)
        this.set({ credential, renewed: String(renewed) }, Math.round((at - now()) / 1000));
    },
  });
  new Gauge({
    name: "gtm_secret_file_age_seconds",
    help: "Seconds since each <NAME>_FILE secret's file last changed (its modification time)",
    labelNames: ["secret"] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const { name, file } of files()) {
        try {
          this.set({ secret: name }, Math.round((now() - statSync(file).mtimeMs) / 1000));
        } catch {
          // A file gone missing shows as a missing series; the next SIGHUP reload says why.
        }
      }
    },
  });
  const unsubscribe = subscribeObserveEvents({
    credentialExpiry(event) {
      expiries.set(event.credential, { at: event.expiresAt, renewed: event.renewed });
    },
  });
  return {
    unsubscribe,
    watchSecretFiles(next) {
      files = next;
    },
  };
}
