/** The server and environment a store instance is bound to when opened. */
export interface StoreScope {
  /** The server's name (`crm`, `email`). */
  server: string;
  /** The environment (`sandbox`, `staging`, `production`). */
  env: string;
}

// Scope parts end up inside a Redis Cluster hash tag (`{crm:staging}`) and a file name,
// so braces, slashes and whitespace would silently change where keys live.
const SCOPE_PART = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;

/**
 * Checks that a scope can name keys and files safely; throws an `Error` naming the bad
 * part (a startup mistake, not a tool error).
 */
export function assertStoreScope(scope: StoreScope): void {
  for (const [name, value] of [
    ["server", scope.server],
    ["env", scope.env],
  ] as const) {
    if (!SCOPE_PART.test(value)) {
      throw new Error(
        `Idempotency store ${name} name ${JSON.stringify(value)} is invalid: use 1-63 letters, digits, '_', '.' or '-'.`,
      );
    }
  }
}
