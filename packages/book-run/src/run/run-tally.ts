/** Counts of one write tool's results. */
export interface WriteCounts {
  written: number;
  replayed: number;
  reconciled: number;
  /** Gave up on after an attempt that may have acted: the vendor may or may not hold it. */
  uncertain: number;
}

/** What the workers found and wrote, shared by all of them (one process, one event loop). */
export class RunTally {
  readonly assessments: Record<string, number> = {};
  readonly draftReasons: Record<string, number> = {};
  readonly signals: Record<string, number> = {};
  readonly notes: WriteCounts = { written: 0, replayed: 0, reconciled: 0, uncertain: 0 };
  readonly drafts: WriteCounts = { written: 0, replayed: 0, reconciled: 0, uncertain: 0 };
  readonly sends: WriteCounts = { written: 0, replayed: 0, reconciled: 0, uncertain: 0 };
  /** Accounts whose note call succeeded. */
  readonly notedAccounts = new Set<string>();
  /** Recipients whose draft call succeeded. */
  readonly draftedRecipients = new Set<string>();
  /** Recipients whose draft was sent (the send call succeeded). */
  readonly sentRecipients = new Set<string>();
  /**
   * Targets whose write answered as a replay, per write tool (account ids for notes,
   * recipients for drafts and sends): a second run must replay every write of the first.
   */
  readonly replayedTargets = {
    notes: new Set<string>(),
    drafts: new Set<string>(),
    sends: new Set<string>(),
  };
  /** Accounts whose note may exist though the run got no answer (retries used up after an unknown outcome). */
  readonly uncertainAccounts = new Set<string>();
  /** Recipients whose draft may exist likewise. */
  readonly uncertainRecipients = new Set<string>();
  /** Recipients whose send may have gone out likewise. */
  readonly uncertainSends = new Set<string>();
  /**
   * Domains whose signal lookup lost answers (`OUTCOME_UNKNOWN`: a server killed with the
   * request at the vendor, or a paid request whose answer never came), with how many attempts
   * lost theirs: each such attempt may have bought the match without it reaching the cache.
   */
  readonly lostLookups = new Map<string, number>();
  /** Write tools a cap or a switch stopped for the rest of the run. */
  readonly stoppedTools = new Set<string>();
  /** Write steps started (each counted once, however many attempts it took). */
  writesStarted = 0;
  /** Write steps refused terminally (left for review): no write happened. */
  writesRefused = 0;
  /** Accounts that need a person, with why. */
  readonly review: Array<{ accountId: string; reason: string }> = [];

  /** Bumps `counts[key]`. */
  static bump(counts: Record<string, number>, key: string): void {
    counts[key] = (counts[key] ?? 0) + 1;
  }
}
