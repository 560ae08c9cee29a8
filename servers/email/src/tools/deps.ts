import type { TtlCacheStore } from "@gtm-mcp/tool-kit/idempotency";
import type { SendMode } from "../config.js";
import type { SuppressionList } from "../model/suppression-list.js";
import type { Gmail } from "../upstream/client.js";

/** What the email tools need. */
export interface EmailToolDeps {
  gmail: Gmail;
  /** The sending mailbox (GMAIL_SENDER, or the profile's address), when known. */
  sender: string | undefined;
  /** `EMAIL_SUPPRESSION_FILE`, re-read when it changes. */
  suppression: SuppressionList;
  sendMode: SendMode;
  /** `EMAIL_RECIPIENT_COOLDOWN_DAYS` in ms; 0 turns the cooldown off. */
  cooldownMs: number;
  /**
   * The shared store (the runtime's), where a send leaves its draft's Message-ID beside its
   * key just before `drafts.send`: once sent the draft is gone, and a lost answer is
   * reconciled, in any process, by finding that Message-ID among sent mail. Undefined only
   * when writes are off (no send can happen).
   */
  store: TtlCacheStore | undefined;
  /** How long a send's reconcile hint is kept: the idempotency retention (`GTM_IDEMPOTENCY_TTL_HOURS`). */
  retentionMs: number;
  /** Epoch ms now (tests fix it). */
  now: () => number;
}
