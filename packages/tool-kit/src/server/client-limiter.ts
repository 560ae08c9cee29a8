import { createHash } from "node:crypto";
import type { IncomingMessage } from "node:http";

/** Default most requests one client may have in progress at once. */
export const DEFAULT_MAX_CONCURRENT_PER_CLIENT = 32;

/** Counts requests in progress per client; see {@link createClientLimiter}. */
export interface ClientLimiter {
  /** Takes a slot for the client of `req`: a release function, or undefined when it has none left. */
  acquire(req: IncomingMessage): (() => void) | undefined;
  /** Requests in progress of the client of `req` (for tests and logs). */
  inProgress(req: IncomingMessage): number;
}

/**
 * A bound on concurrent requests per client, so one client (a runaway agent, or a slow-body
 * attack with a valid token) cannot take every connection and handler of a replica. A client
 * is its address and its credential together: sub-agents sharing a token from one machine
 * share the bound; other machines, or other tokens, have their own. The credential is kept
 * only as a short digest.
 */
export function createClientLimiter(max: number): ClientLimiter {
  const counts = new Map<string, number>();
  const keyOf = (req: IncomingMessage) => {
    const credential = createHash("sha256")
      .update(req.headers.authorization ?? "")
      .digest("base64url")
      .slice(0, 16);
    return `${req.socket.remoteAddress ?? "?"}|${credential}`;
  };
  return {
    acquire(req) {
      const key = keyOf(req);
      const used = counts.get(key) ?? 0;
      if (used >= max) return undefined;
      counts.set(key, used + 1);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        const left = (counts.get(key) ?? 1) - 1;
        if (left <= 0) counts.delete(key);
        else counts.set(key, left);
      };
    },
    inProgress: (req) => counts.get(keyOf(req)) ?? 0,
  };
}
