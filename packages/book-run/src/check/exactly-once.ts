import { type EmulatorState, writeTotals } from "./emulator-state.js";

/** One line of the check. */
export interface CheckItem {
  name: string;
  passed: boolean;
  detail: string;
}

/** The check's verdict. */
export interface CheckResult {
  passed: boolean;
  items: CheckItem[];
}

/** What the run believes it wrote, to hold against what the vendors hold. */
export interface RunWrites {
  runDate: string;
  /** Accounts whose note call succeeded (first write, replay or reconcile). */
  notedAccounts: ReadonlySet<string>;
  /** Recipients whose draft call succeeded. */
  draftedRecipients: ReadonlySet<string>;
  /** Recipients whose send call succeeded. */
  sentRecipients?: ReadonlySet<string>;
  /** Accounts whose note may or may not exist (no answer after an unknown outcome): either is right. */
  uncertainAccounts?: ReadonlySet<string>;
  /** Recipients whose draft may or may not exist. */
  uncertainRecipients?: ReadonlySet<string>;
  /** Recipients whose send may or may not have gone out. */
  uncertainSends?: ReadonlySet<string>;
  /**
   * Domains whose lookup lost answers, with how many attempts lost theirs: the vendor may have
   * charged each of those without the match reaching the cache, so a domain may hold one
   * credit plus one per lost answer. Any other attempt (a 429, an outage, a 5xx) buys nothing.
   */
  lostLookups?: ReadonlyMap<string, number>;
  /** The send cap the email server ran with. */
  sendCap: number;
}

/** What the first run wrote, and what the second replayed, per write tool (a rerun must replay every write). */
export interface RerunWrites {
  /** Targets each write tool settled in the first run: accounts for notes, recipients for drafts and sends. */
  first: Record<WriteTool, ReadonlySet<string>>;
  /** Targets whose write the second run called again and was answered as a replay. */
  replayed: Record<WriteTool, ReadonlySet<string>>;
}

/** The write tools the book run calls, as the check names them. */
export type WriteTool = "notes" | "drafts" | "sends";

/** The text every note of the run starts with (see the decision rule's note body). */
export const notePrefix = (runDate: string) => `Book review ${runDate}:`;

/**
 * The exactly-once check, from emulator state: one note per account per occurrence wherever
 * it is attached (a note of the run on no company, on a contact only or on nothing, is a
 * failure) and a note on every account the run noted; one draft per qualifying account and
 * none elsewhere; at most one send per recipient and occurrence, only of the run's drafts, and
 * within the cap; no enrichment credit spent on a domain beyond one plus one per lost answer.
 * With `before` (the state before a second run of the same book) also: the second run made no
 * new write; with `rerun`, that it called every write of the first again and was answered by
 * a replay (so the check proves replays, not the absence of calls).
 */
export function checkExactlyOnce(
  state: EmulatorState,
  run: RunWrites,
  before?: EmulatorState,
  rerun?: RerunWrites,
): CheckResult {
  const items: CheckItem[] = [];
  const prefix = notePrefix(run.runDate);
  const runNotes = state.notes.filter((n) => n.body.startsWith(prefix));
  const notesPerAccount = countBy(runNotes.flatMap((n) => n.companyIds));
  const contactOnly = runNotes.filter((n) => n.companyIds.length === 0 && n.contactIds.length > 0);
  const unattached = runNotes.filter((n) => n.companyIds.length === 0 && n.contactIds.length === 0);
  const dupNotes = [...notesPerAccount].filter(([, n]) => n > 1);
  const stray = contactOnly.length + unattached.length;
  items.push({
    name: "one note per account per occurrence",
    passed: dupNotes.length === 0 && stray === 0,
    detail:
      `${runNotes.length} notes of the run: ${notesPerAccount.size} accounts` +
      (dupNotes.length === 0
        ? ", one note each"
        : `, ${dupNotes.length} with more than one: ${sample(dupNotes.map(([a, n]) => `${a}×${n}`))}`) +
      `; on a contact only ${contactOnly.length}${contactOnly.length > 0 ? ` (${sample(contactOnly.map((n) => `contact ${n.contactIds.join("+")}`))})` : ""}` +
      `; on nothing ${unattached.length}`,
  });
  items.push(
    sameSet(
      "every noted account has its note",
      run.notedAccounts,
      new Set(notesPerAccount.keys()),
      run.uncertainAccounts,
    ),
  );
  const draftsPerRecipient = countBy(state.drafts.map((d) => d.to.toLowerCase()));
  const dupDrafts = [...draftsPerRecipient].filter(([, n]) => n > 1);
  items.push({
    name: "one draft per qualifying account",
    passed: dupDrafts.length === 0,
    detail:
      dupDrafts.length === 0
        ? `${draftsPerRecipient.size} drafts, one per recipient`
        : `${dupDrafts.length} recipients with more than one: ${sample(dupDrafts.map(([a, n]) => `${a}×${n}`))}`,
  });
  items.push(
    sameSet(
      "drafts only for qualifying accounts",
      lower(run.draftedRecipients),
      new Set(draftsPerRecipient.keys()),
      lower(run.uncertainRecipients),
    ),
  );
  const sendsPerRecipient = countBy(state.sends.map((m) => m.to.toLowerCase()));
  const sendsPerDraft = countBy(state.sends.flatMap((m) => (m.draftId === undefined ? [] : [m.draftId])));
  const dupSends = [...sendsPerRecipient].filter(([, n]) => n > 1);
  const dupDraftSends = [...sendsPerDraft].filter(([, n]) => n > 1);
  items.push({
    name: "one send per recipient per occurrence",
    passed: dupSends.length === 0 && dupDraftSends.length === 0,
    detail:
      dupSends.length === 0 && dupDraftSends.length === 0
        ? `${state.sends.length} sent, to ${sendsPerRecipient.size} recipients, one each`
        : `${dupSends.length} recipients sent to more than once: ${sample(dupSends.map(([a, n]) => `${a}×${n}`))}; ${dupDraftSends.length} drafts sent more than once`,
  });
  items.push(
    sameSet(
      "sends only of the run's drafts, each held",
      lower(run.sentRecipients),
      new Set(sendsPerRecipient.keys()),
      lower(run.uncertainSends),
    ),
  );
  items.push({
    name: "sends within the cap",
    passed: state.sends.length <= run.sendCap,
    detail: `${state.sends.length} sent, cap ${run.sendCap}`,
  });
  // A lookup whose answer was lost (its server killed with the request at the vendor, or a
  // paid request dropped in transit) may have been charged without the match reaching the
  // cache: buying it again is not a double purchase. So a domain may hold one credit plus one
  // per lost answer, and no more; a retry after a 429, an outage or a 5xx bought nothing.
  const allowed = (domain: string) => 1 + (run.lostLookups?.get(domain) ?? 0);
  const twice = Object.entries(state.enrichmentCredits).filter(([domain, n]) => n > allowed(domain));
  const cut = Object.entries(state.enrichmentCredits).filter(([domain, n]) => n > 1 && n <= allowed(domain));
  items.push({
    name: "no enrichment credit spent twice on a domain",
    passed: twice.length === 0,
    detail:
      twice.length === 0
        ? `${Object.keys(state.enrichmentCredits).length} domains, one credit each at most${
            cut.length > 0
              ? `, but for ${cut.length} whose lookup lost answers (one more credit per lost answer): ${sample(cut.map(([d, n]) => `${d}×${n}`))}`
              : ""
          }`
        : `${twice.length} domains charged more than once plus their lost answers: ${sample(twice.map(([d, n]) => `${d}×${n} (allowed ${allowed(d)})`))}`,
  });
  if (before !== undefined) {
    const a = writeTotals(before);
    const b = writeTotals(state);
    // Credits are not writes: a domain the first run could not reach (an outage) is bought in
    // the second, once; the credit item above still holds it to one per domain.
    const same = a.notes === b.notes && a.drafts === b.drafts && a.sends === b.sends;
    items.push({
      name: "the second run made no new write",
      passed: same,
      detail: `notes ${a.notes}→${b.notes}, drafts ${a.drafts}→${b.drafts}, sends ${a.sends}→${b.sends}, credits ${a.credits}→${b.credits}`,
    });
  }
  if (rerun !== undefined) {
    const tools: WriteTool[] = ["notes", "drafts", "sends"];
    const missing = tools.map(
      (t) => [t, [...rerun.first[t]].filter((x) => !rerun.replayed[t].has(x))] as const,
    );
    items.push({
      name: "the second run replayed every write of the first",
      passed: missing.every(([, m]) => m.length === 0),
      detail: missing
        .map(
          ([t, m]) =>
            `${t} ${rerun.first[t].size - m.length}/${rerun.first[t].size} replayed${m.length > 0 ? ` (not replayed: ${sample(m)})` : ""}`,
        )
        .join(", "),
    });
  }
  return { passed: items.every((i) => i.passed), items };
}

const lower = (xs: ReadonlySet<string> | undefined) => new Set([...(xs ?? [])].map((x) => x.toLowerCase()));

function countBy(values: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return counts;
}

/** `actual` must hold all of `expected`, and nothing else except members of `either`. */
function sameSet(
  name: string,
  expected: ReadonlySet<string>,
  actual: ReadonlySet<string>,
  either: ReadonlySet<string> = new Set(),
): CheckItem {
  const missing = [...expected].filter((x) => !actual.has(x));
  const extra = [...actual].filter((x) => !expected.has(x) && !either.has(x));
  const passed = missing.length === 0 && extra.length === 0;
  return {
    name,
    passed,
    detail: passed
      ? `${expected.size} in the run, ${actual.size} held by the vendor`
      : `run says ${expected.size}, vendor holds ${actual.size}; missing ${sample(missing)}; unexpected ${sample(extra)}`,
  };
}

const sample = (xs: string[]) =>
  xs.length === 0 ? "none" : xs.slice(0, 5).join(", ") + (xs.length > 5 ? ", …" : "");
