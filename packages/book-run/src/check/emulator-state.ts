/**
 * What the exactly-once check reads from the emulators (through the sandbox's admin API, never
 * through the servers): every write the vendors hold, as the vendor holds it.
 */
export interface EmulatorState {
  /** Notes on companies (HubSpot). */
  notes: Array<{ accountId: string; body: string }>;
  /** Drafts in the mailbox (Gmail). */
  drafts: Array<{ to: string; subject: string }>;
  /** Messages sent (Gmail). */
  sends: Array<{ to: string }>;
  /** Enrichment credits spent per domain (People Data Labs). */
  enrichmentCredits: Record<string, number>;
  /** Faults injected so far by kind (all emulators). */
  faults: Record<string, number>;
}

/** Totals of writes held by the vendors: equal before and after a second run means it wrote nothing. */
export function writeTotals(state: EmulatorState): {
  notes: number;
  drafts: number;
  sends: number;
  credits: number;
} {
  return {
    notes: state.notes.length,
    drafts: state.drafts.length,
    sends: state.sends.length,
    credits: Object.values(state.enrichmentCredits).reduce((a, b) => a + b, 0),
  };
}
