/** One progress report of a long call (MCP `notifications/progress`). */
export interface ProgressUpdate {
  /** Grows with every report (elapsed seconds, rows read, polls made). */
  progress: number;
  /** The total, when known. */
  total?: number;
  /** One human line: what the call is waiting on. */
  message?: string;
}

/** Sends progress for one call; resolves even when the notification could not be sent. */
export type ProgressReporter = (update: ProgressUpdate) => Promise<void>;

/** Why a call's signal aborted: the client cancelled it, or its deadline passed. */
export type AbortReason = "cancelled" | "deadline";

/** What the MCP request context offers to build a reporter from. */
export interface ProgressChannel {
  /** The request's `_meta.progressToken`, when the client sent one. */
  token: string | number | undefined;
  /** Sends a notification related to the request. */
  notify(notification: { method: "notifications/progress"; params: Record<string, unknown> }): Promise<void>;
}

/**
 * A reporter for one call: a no-op when the client sent no progress token (the protocol
 * forbids progress without one); otherwise each report becomes `notifications/progress`.
 * A report that does not increase `progress` is dropped, since the protocol requires it to
 * grow; a failed send is ignored, since progress is advisory and must not fail the call.
 */
export function progressReporter(channel: ProgressChannel | undefined): ProgressReporter {
  const token = channel?.token;
  if (channel === undefined || token === undefined) return async () => undefined;
  let last = Number.NEGATIVE_INFINITY;
  return async (update) => {
    if (!(update.progress > last)) return;
    last = update.progress;
    const params: Record<string, unknown> = { progressToken: token, progress: update.progress };
    if (update.total !== undefined) params.total = update.total;
    if (update.message !== undefined) params.message = update.message;
    try {
      await channel.notify({ method: "notifications/progress", params });
    } catch {
      // The client may have gone; the call's own outcome decides what happens next.
    }
  };
}
