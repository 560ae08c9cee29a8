import type { CredentialProvider } from "./types.js";

/**
 * A credential that never changes: no `refresh`, so a 401 is final. A secret from the
 * configuration (`Secret.asCredential()`, `@gtm-mcp/tool-kit/config`) is what servers use:
 * it re-reads its `_FILE` on a 401 and keeps its old values known to the scrubber.
 */
export function staticCredential(value: string): CredentialProvider {
  return { get: () => value };
}
