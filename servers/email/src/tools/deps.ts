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
   * Draft id → its Message-ID, remembered just before `drafts.send`: once a draft is sent it is
   * gone, and a lost answer is reconciled by finding that Message-ID among sent mail.
   */
  sentMarkers: Map<string, string>;
  /** Epoch ms now (tests fix it). */
  now: () => number;
}
