import { bounded } from "../errors/bounded.js";

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

/** Longest progress message sent whole; a longer one is cut, its length stated. */
export const PROGRESS_MESSAGE_MAX = 1_000;

/** What the MCP request context offers to build a reporter from. */
export interface ProgressChannel {
  /** The request's `_meta.progressToken`, when the client sent one. */
  token: string | number | undefined;
  /** Sends a notification related to the request. */
  notify(notification: { method: "notifications/progress"; params: Record<string, unknown> }): Promise<void>;
  /**
   * Removes the server's secret values from a message before it is sent (the runtime
   * scrubber's `text`): a message may quote a vendor's status text, and everything a server
   * sends a client goes through the scrubber.
   */
  scrub?: (text: string) => string;
}

/**
 * A reporter for one call: a no-op when the client sent no progress token (the protocol
 * forbids progress without one); otherwise each report becomes `notifications/progress`.
 * A report that does not increase `progress` is dropped, since the protocol requires it to
 * grow; a failed send is ignored, since progress is advisory and must not fail the call.
 * A message is scrubbed, then bounded to {@link PROGRESS_MESSAGE_MAX} characters (in that
 * order, so a cut never leaves a secret's prefix the scrubber cannot recognise).
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
    if (update.message !== undefined) {
      const message = channel.scrub ? channel.scrub(update.message) : update.message;
      params.message = bounded(message, PROGRESS_MESSAGE_MAX);
    }
    try {
      await channel.notify({ method: "notifications/progress", params });
    } catch {
      // The client may have gone; the call's own outcome decides what happens next.
    }
  };
}
