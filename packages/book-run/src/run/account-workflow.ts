import type { RetryLimits } from "../policy/index.js";
import {
  type Decision,
  decide,
  RECENT_THREAD_DAYS,
  stepOf,
  type ThreadFacts,
  USAGE_DAYS,
  type UsageFacts,
  type WorkflowStep,
} from "../policy/index.js";
import type { AccountStatus, RunStats } from "../stats/run-stats.js";
import type { BookEntry } from "./book-entry.js";
import type { ToolCaller } from "./call-outcome.js";
import { readAccount, readThreads, readUsage } from "./read-facts.js";
import { runStep, type SchedulerClock, type StepResult } from "./retry-scheduler.js";
import { RunTally, type WriteCounts } from "./run-tally.js";

/** What one account's workflow needs. */
export interface WorkflowContext {
  caller: ToolCaller;
  clock: SchedulerClock;
  limits: RetryLimits;
  stats: RunStats;
  tally: RunTally;
  runDate: string;
  /** Contact address (lower case) → the account that owns its draft. */
  owners: ReadonlyMap<string, string>;
  /**
   * Whether to send the draft just written to this recipient (`send_draft`, the sandbox run's
   * `EMAIL_SEND_MODE=on`); absent: drafts only, as the nightly workflow runs in production.
   */
  sends?: (recipient: string) => boolean;
}

/** How one account ended, and the decision when one was made. */
export interface AccountResult {
  accountId: string;
  status: AccountStatus;
  decision?: Decision;
  reason?: string;
}

/**
 * One account through the nightly workflow: account → signals → usage → threads → decide →
 * note → draft. Every call goes through the error policy (retry, go on without, skip, defer,
 * review, stop the tool).
 */
export async function runAccount(entry: BookEntry, ctx: WorkflowContext): Promise<AccountResult> {
  const { tally } = ctx;
  const call = (step: WorkflowStep, args: Record<string, unknown>) => {
    const { server, tool } = stepOf(step);
    return runStep(
      step,
      () => ctx.caller.call(server, tool, args),
      ctx.clock,
      ctx.limits,
      (code) => ctx.stats.recordRetry(code),
    );
  };
  const end = (status: AccountStatus, reason?: string, decision?: Decision): AccountResult => {
    ctx.stats.recordAccount(status);
    if (status === "deferred") ctx.stats.recordFaultOutcome("deferred");
    return {
      accountId: entry.accountId,
      status,
      ...(reason ? { reason } : {}),
      ...(decision ? { decision } : {}),
    };
  };

  const got = await call("account", { account_id: entry.accountId });
  if (!got.outcome.ok)
    return end(statusOf(got), got.disposition?.action === "defer" ? got.disposition.reason : reasonOf(got));
  const account = readAccount(got.outcome.structured, entry.accountId);
  const domain = account.domain ?? entry.domain;

  if (domain !== null) {
    const signals = await call("signals", { domain });
    if (signals.lostAnswers > 0)
      tally.lostLookups.set(domain, (tally.lostLookups.get(domain) ?? 0) + signals.lostAnswers);
    if (signals.outcome.ok) RunTally.bump(tally.signals, "found");
    else {
      RunTally.bump(tally.signals, signalKind(signals.outcome.error.code));
      if (signals.outcome.error.code !== "NOT_FOUND") ctx.stats.recordFaultOutcome("tolerated");
    }
  } else RunTally.bump(tally.signals, "no_domain");

  let usage: UsageFacts | null = null;
  if (domain !== null) {
    const read = await call("usage", { domain, days: USAGE_DAYS });
    if (read.outcome.ok) usage = readUsage(read.outcome.structured, entry.warehouseId);
    else if (read.disposition?.action !== "continue_without") return end(statusOf(read), reasonOf(read));
  }

  let threads: ThreadFacts | null = null;
  if (entry.contactEmail !== null) {
    const read = await call("threads", { contact_email: entry.contactEmail, days: RECENT_THREAD_DAYS });
    if (read.outcome.ok) threads = readThreads(read.outcome.structured);
    else ctx.stats.recordFaultOutcome("tolerated");
  }

  const contact = entry.contactEmail?.toLowerCase() ?? null;
  const decision = decide({
    account: { ...account, domain },
    usage,
    threads,
    contactEmail: entry.contactEmail,
    ownsContact: contact === null || ctx.owners.get(contact) === entry.accountId,
    runDate: ctx.runDate,
  });
  RunTally.bump(tally.assessments, decision.assessment);

  const note = await write("note", decision.note, ctx, tally.notes, entry.accountId);
  if (note.status === "deferred") return end("deferred", "note deferred", decision);
  if (note.status === "ok") tally.notedAccounts.add(entry.accountId);

  RunTally.bump(tally.draftReasons, decision.draftReason);
  if (decision.draft !== null) {
    const to = decision.draft.to.toLowerCase();
    const draft = await write("draft", decision.draft, ctx, tally.drafts, to);
    if (draft.status === "ok") tally.draftedRecipients.add(to);
    if (draft.status === "deferred") return end("deferred", "draft deferred", decision);
    const draftId = draft.status === "ok" ? draft.structured.draft_id : undefined;
    if (typeof draftId === "string" && ctx.sends?.(to) === true) {
      const sent = await write("send", { draft_id: draftId }, ctx, tally.sends, to);
      if (sent.status === "ok") tally.sentRecipients.add(to);
      if (sent.status === "deferred") return end("deferred", "send deferred", decision);
    }
  }
  return end("completed", undefined, decision);
}

type WriteStatus =
  | { status: "ok"; structured: Record<string, unknown> }
  | { status: "deferred" | "reviewed" | "skipped" };

/**
 * One write through the policy; `"skipped"` when its tool is stopped for the run. `target` is
 * what the write is about (the account of a note, the recipient of a draft or a send), as the
 * tally and the check name it.
 */
async function write(
  step: "note" | "draft" | "send",
  args: Record<string, unknown>,
  ctx: WorkflowContext,
  counts: WriteCounts,
  target: string,
): Promise<WriteStatus> {
  const { server, tool } = stepOf(step);
  if (ctx.tally.stoppedTools.has(tool)) return { status: "skipped" };
  ctx.tally.writesStarted++;
  const result = await runStep(
    step,
    () => ctx.caller.call(server, tool, args),
    ctx.clock,
    ctx.limits,
    (code) => ctx.stats.recordRetry(code),
  );
  if (result.outcome.ok) {
    if (result.reconciled) {
      counts.reconciled++;
      ctx.stats.recordFaultOutcome("reconciled");
    } else if (result.outcome.replayed) {
      counts.replayed++;
      ctx.tally.replayedTargets[TALLY_OF[step]].add(target);
      // A replay inside one run means an earlier attempt acted and its answer was lost.
      if (result.attempts > 1) ctx.stats.recordFaultOutcome("replayed");
    } else counts.written++;
    return { status: "ok", structured: result.outcome.structured };
  }
  if (result.sawUnknown) {
    counts.uncertain++;
    const uncertain = {
      note: ctx.tally.uncertainAccounts,
      draft: ctx.tally.uncertainRecipients,
      send: ctx.tally.uncertainSends,
    }[step];
    uncertain.add(target);
  }
  const action = result.disposition?.action;
  if (action === "stop_tool") {
    ctx.tally.stoppedTools.add(tool);
    return { status: "skipped" };
  }
  if (action === "defer") return { status: "deferred" };
  ctx.tally.writesRefused++;
  ctx.stats.recordFaultOutcome("reviewed");
  ctx.tally.review.push({
    accountId: String(args.account_id ?? args.account_domain ?? target),
    reason: reasonOf(result),
  });
  return { status: "reviewed" };
}

/** The tally's name of each write step. */
const TALLY_OF = { note: "notes", draft: "drafts", send: "sends" } as const;

function statusOf(result: StepResult): AccountStatus {
  return result.disposition?.action === "defer" ? "deferred" : "skipped";
}

function reasonOf(result: StepResult): string {
  const d = result.disposition;
  return d !== undefined && "reason" in d ? d.reason : "failed";
}

function signalKind(code: string): string {
  if (code === "NOT_FOUND") return "not_found";
  if (code === "UPSTREAM_UNAVAILABLE") return "unavailable";
  if (code === "CAP_EXCEEDED") return "credit_cap";
  return "error";
}
