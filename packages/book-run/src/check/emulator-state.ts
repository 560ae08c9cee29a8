/**
 * What the exactly-once check reads from the emulators (through the sandbox's admin API, never
 * through the servers): every write the vendors hold, as the vendor holds it.
 */
export interface EmulatorState {
  /**
   * Notes (HubSpot), each with every association it has: companies, contacts, or none. A note
   * counts once per company it is on, and one on no company (on a contact only, or on nothing)
   * is counted too: the check must see a duplicate wherever it was attached.
   */
  notes: Array<{ companyIds: string[]; contactIds: string[]; body: string }>;
  /** Drafts in the mailbox (Gmail), sent ones included (the emulator keeps them, marked sent). */
  drafts: Array<{ to: string; subject: string }>;
  /** Messages sent (Gmail), with the draft each was sent from. */
  sends: Array<{ to: string; draftId?: string }>;
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
