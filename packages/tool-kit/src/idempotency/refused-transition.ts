import type { Logger } from "../logging/index.js";

/** Why a fenced transition was refused. */
export type RefusalReason = "missing" | "owner" | "completed" | "state";

/**
 * Logs a refused fenced transition at warn: a stale owner (its lease expired and another
 * attempt took the key over) tried to act, which is the crash-recovery path working, and
 * worth seeing. Owner tokens are not logged: they are capabilities.
 */
export function logRefusedTransition(
  logger: Logger | undefined,
  store: "redis" | "sqlite",
  operation: "complete" | "release" | "markUnknown" | "renew",
  key: string,
  reason: RefusalReason,
): void {
  logger?.warn(
    { store, operation, idempotencyKey: key, reason },
    `idempotency ${operation} refused: ${reason}`,
  );
}
