/**
 * The decision rule of the nightly book workflow: what note to log on each account and which
 * accounts get an outreach draft. Pure: the same facts give the same arguments, which is what
 * lets a second run of the same day replay every write instead of conflicting with it.
 *
 * Why written content depends only on CRM and warehouse facts: a write's idempotency key is
 * (target, occurrence) and its arguments are fingerprinted, so a rerun must send byte-equal
 * arguments. Enrichment can be down for one run and up for the next, and the mailbox gains our
 * own drafts, so neither may change what is written; they only gate (the mailbox) or inform
 * the report (enrichment).
 */

/** An account as `get_account` returns it (the fields the rule reads). */
export interface AccountFacts {
  id: string;
  name: string | null;
  domain: string | null;
  lifecycle_stage: string | null;
}

/** Product usage over the last {@link USAGE_DAYS} days; null fields when unknown. */
export interface UsageFacts {
  seatsPurchased: number | null;
  activeUsers: number | null;
}

/** The contact's recent mailbox history; null when it could not be read. */
export interface ThreadFacts {
  /** Threads with a message in the last {@link RECENT_THREAD_DAYS} days. */
  recent: number;
  /**
   * Those threads' subjects, when known. A thread whose subject is the draft this rule would
   * write (optionally with `Re:`) is the run's own outreach of this occurrence (a draft, or
   * the draft sent): not contact activity, so a rerun of the same day decides the same and
   * replays its writes instead of reading its own mail as a reason to stop.
   */
  subjects?: readonly string[];
}

/** How an account uses what it bought. */
export type Assessment = "expansion" | "at_risk" | "healthy" | "no_usage";

/** Why an account does or does not get a draft. */
export type DraftReason =
  | "qualifies"
  | "not_a_target"
  | "no_contact"
  | "contact_outside_domain"
  | "contact_owned_by_other_account"
  | "recently_in_touch"
  | "mailbox_unread";

/** Everything the rule reads for one account. */
export interface DecisionInput {
  account: AccountFacts;
  usage: UsageFacts | null;
  threads: ThreadFacts | null;
  /** The account's primary contact from the book, if any. */
  contactEmail: string | null;
  /** False when another account of the book owns this contact's draft (see {@link draftOwners}). */
  ownsContact: boolean;
  /** The run date, YYYY-MM-DD: the occurrence of every write. */
  runDate: string;
}

/** The rule's answer: the note always, the draft when the account qualifies. */
export interface Decision {
  assessment: Assessment;
  utilisation: number | null;
  note: { account_id: string; body: string; occurrence: string };
  draft: {
    to: string;
    account_domain: string;
    subject: string;
    body: string;
    occurrence: string;
  } | null;
  draftReason: DraftReason;
}

/** Utilisation at or above this is an expansion conversation. */
export const EXPANSION_AT = 0.85;
/** Utilisation below this (with seats bought) is a churn risk. */
export const AT_RISK_BELOW = 0.25;

/**
 * The rule:
 * 1. utilisation = active users ÷ seats purchased over the usage window; ≥ 0.85 →
 *    `expansion`, < 0.25 → `at_risk`, otherwise `healthy`; no usage or no seats → `no_usage`.
 * 2. Every account gets one note per run date stating the assessment (occurrence = run date).
 * 3. A draft is written only when all hold: the assessment is `expansion` or `at_risk`; the
 *    book names a contact whose address is in the account's domain (or a subdomain); this
 *    account owns that contact (the lowest account id among those sharing it); the mailbox was
 *    read and shows no thread in the last 14 days.
 */
export function decide(input: DecisionInput): Decision {
  const { account, usage, runDate } = input;
  const utilisation =
    usage?.seatsPurchased && usage.activeUsers !== null && usage.seatsPurchased > 0
      ? usage.activeUsers / usage.seatsPurchased
      : null;
  const assessment = assess(utilisation);
  const note = {
    account_id: account.id,
    body: noteBody(input, assessment, utilisation),
    occurrence: runDate,
  };
  const draftReason = whyDraft(input, assessment);
  const draft =
    draftReason === "qualifies" && input.contactEmail !== null && account.domain !== null
      ? {
          to: input.contactEmail,
          account_domain: account.domain,
          subject: subjectOf(assessment, account),
          body: draftBody(assessment, account, utilisation),
          occurrence: runDate,
        }
      : null;
  return { assessment, utilisation, note, draft, draftReason: draft ? "qualifies" : draftReason };
}

function assess(utilisation: number | null): Assessment {
  if (utilisation === null) return "no_usage";
  if (utilisation >= EXPANSION_AT) return "expansion";
  if (utilisation < AT_RISK_BELOW) return "at_risk";
  return "healthy";
}

function whyDraft(input: DecisionInput, assessment: Assessment): DraftReason {
  if (assessment !== "expansion" && assessment !== "at_risk") return "not_a_target";
  if (input.contactEmail === null || input.account.domain === null) return "no_contact";
  if (!inDomain(input.contactEmail, input.account.domain)) return "contact_outside_domain";
  if (!input.ownsContact) return "contact_owned_by_other_account";
  if (input.threads === null) return "mailbox_unread";
  if (othersThan(input.threads, subjectOf(assessment, input.account)) > 0) return "recently_in_touch";
  return "qualifies";
}

/** Whether `email`'s domain is `domain` or a subdomain of it (what the email server enforces). */
export function inDomain(email: string, domain: string): boolean {
  const at = email.lastIndexOf("@");
  if (at < 0) return false;
  const host = email.slice(at + 1).toLowerCase();
  const d = domain.toLowerCase();
  return host === d || host.endsWith(`.${d}`);
}

const percent = (u: number | null) => (u === null ? "n/a" : `${Math.round(u * 100)}%`);

const NEXT_STEP: Record<Assessment, string> = {
  expansion: "propose an expansion conversation",
  at_risk: "check in on adoption",
  healthy: "no action",
  no_usage: "no usage data: review the account by hand",
};

function noteBody(input: DecisionInput, assessment: Assessment, utilisation: number | null): string {
  const { account, usage, runDate } = input;
  const seats =
    usage === null
      ? "no usage data"
      : `${usage.activeUsers ?? "?"} active of ${usage.seatsPurchased ?? "?"} seats (${percent(utilisation)})`;
  return [
    `Book review ${runDate}: ${account.name ?? account.id} (${account.domain ?? "no domain"}).`,
    `Usage: ${seats}. Assessment: ${assessment}. Next step: ${NEXT_STEP[assessment]}.`,
  ].join("\n");
}

/** Recent threads other than the run's own outreach (a thread under the draft's subject). */
function othersThan(threads: ThreadFacts, ownSubject: string): number {
  const own = (threads.subjects ?? []).filter(
    (s) => s.replace(/^(re:\s*)+/i, "").trim() === ownSubject,
  ).length;
  return Math.max(0, threads.recent - own);
}

function subjectOf(assessment: Assessment, account: AccountFacts): string {
  const name = account.name ?? account.domain ?? "your team";
  return assessment === "expansion"
    ? `More seats for ${name}?`
    : `Getting more out of your ${name} workspace`;
}

function draftBody(assessment: Assessment, account: AccountFacts, utilisation: number | null): string {
  const name = account.name ?? account.domain ?? "your team";
  return assessment === "expansion"
    ? `Hi,\n\n${name} is using ${percent(utilisation)} of its seats. Would it help to talk about room to grow?\n\nBest regards`
    : `Hi,\n\nWe noticed ${name} uses ${percent(utilisation)} of its seats. Could we help your team get set up?\n\nBest regards`;
}

/**
 * For each contact address shared by several accounts of the book, the account that owns its
 * draft: the lowest account id (numeric when both are digits). A draft's key is (recipient,
 * occurrence), so two accounts drafting one person on one day would conflict; a fixed owner
 * keeps the choice the same in every run whatever the workers' order.
 */
export function draftOwners(
  book: ReadonlyArray<{ accountId: string; contactEmail: string | null }>,
): Map<string, string> {
  const owners = new Map<string, string>();
  for (const entry of book) {
    if (entry.contactEmail === null) continue;
    const email = entry.contactEmail.toLowerCase();
    const current = owners.get(email);
    if (current === undefined || compareIds(entry.accountId, current) < 0) owners.set(email, entry.accountId);
  }
  return owners;
}

function compareIds(a: string, b: string): number {
  if (/^\d+$/.test(a) && /^\d+$/.test(b) && a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}
