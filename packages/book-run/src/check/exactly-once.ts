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
  /** Accounts whose note may or may not exist (no answer after an unknown outcome): either is right. */
  uncertainAccounts?: ReadonlySet<string>;
  /** Recipients whose draft may or may not exist. */
  uncertainRecipients?: ReadonlySet<string>;
  /**
   * Domains whose lookup lost an answer, with its attempts: the vendor may have charged each
   * attempt whose answer never arrived, so up to that many credits is not a double purchase.
   */
  cutLookups?: ReadonlyMap<string, number>;
  /** The send cap the email server ran with. */
  sendCap: number;
}

/** The text every note of the run starts with (see the decision rule's note body). */
export const notePrefix = (runDate: string) => `Book review ${runDate}:`;

/**
 * The exactly-once check, from emulator state: one note per account per occurrence and a note
 * on every account the run noted; one draft per qualifying account and none elsewhere; sends
 * within the cap; no enrichment credit spent twice on a domain. With `before` (the state
 * before a second run of the same book) also: the second run made no new write.
 */
export function checkExactlyOnce(state: EmulatorState, run: RunWrites, before?: EmulatorState): CheckResult {
  const items: CheckItem[] = [];
  const prefix = notePrefix(run.runDate);
  const notesPerAccount = countBy(
    state.notes.filter((n) => n.body.startsWith(prefix)).map((n) => n.accountId),
  );
  const dupNotes = [...notesPerAccount].filter(([, n]) => n > 1);
  items.push({
    name: "one note per account per occurrence",
    passed: dupNotes.length === 0,
    detail:
      dupNotes.length === 0
        ? `${notesPerAccount.size} accounts, one note each`
        : `${dupNotes.length} accounts with more than one: ${sample(dupNotes.map(([a, n]) => `${a}×${n}`))}`,
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
      new Set([...run.draftedRecipients].map((r) => r.toLowerCase())),
      new Set(draftsPerRecipient.keys()),
      new Set([...(run.uncertainRecipients ?? [])].map((r) => r.toLowerCase())),
    ),
  );
  items.push({
    name: "sends within the cap",
    passed: state.sends.length <= run.sendCap,
    detail: `${state.sends.length} sent, cap ${run.sendCap}`,
  });
  // A lookup whose answer was lost (its server killed with the request at the vendor) may have
  // been charged without the match reaching the cache: buying it again is not a double
  // purchase, so such a domain may hold one credit per attempt, and no more.
  const allowed = (domain: string) => Math.max(1, run.cutLookups?.get(domain) ?? 0);
  const twice = Object.entries(state.enrichmentCredits).filter(([domain, n]) => n > allowed(domain));
  const cut = Object.entries(state.enrichmentCredits).filter(([domain, n]) => n > 1 && n <= allowed(domain));
  items.push({
    name: "no enrichment credit spent twice on a domain",
    passed: twice.length === 0,
    detail:
      twice.length === 0
        ? `${Object.keys(state.enrichmentCredits).length} domains, one credit each at most${
            cut.length > 0
              ? `, but for ${cut.length} whose lookup lost its answer to a server kill (a credit per attempt): ${sample(cut.map(([d, n]) => `${d}×${n}`))}`
              : ""
          }`
        : `${twice.length} domains charged more than once: ${sample(twice.map(([d, n]) => `${d}×${n}`))}`,
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
  return { passed: items.every((i) => i.passed), items };
}

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
