/**
 * The nightly book workflow as data: which server and tool each step calls, in order. The
 * Claude Code skill names the same tools; a test checks both against what the servers list.
 */
export const WORKFLOW_STEPS = [
  { step: "account", server: "crm", tool: "get_account", kind: "read" },
  { step: "signals", server: "enrichment", tool: "get_account_signals", kind: "read" },
  { step: "usage", server: "warehouse", tool: "get_account_usage", kind: "read" },
  { step: "threads", server: "email", tool: "list_recent_threads", kind: "read" },
  { step: "note", server: "crm", tool: "log_activity_note", kind: "write" },
  { step: "draft", server: "email", tool: "create_outreach_draft", kind: "write" },
] as const;

/**
 * Sending a draft: not a step of the nightly workflow (a person sends from the mailbox), but
 * the sandbox book run sends a share of its drafts with `EMAIL_SEND_MODE=on` so that its
 * exactly-once check covers sends too. The error policy treats it as a write.
 */
export const SEND_STEP = { step: "send", server: "email", tool: "send_draft", kind: "write" } as const;

/** One step of the workflow (or {@link SEND_STEP}). */
export type WorkflowStep = (typeof WORKFLOW_STEPS)[number]["step"] | typeof SEND_STEP.step;

/** The four servers the book run drives. */
export const SERVER_NAMES = ["crm", "enrichment", "warehouse", "email"] as const;

/** One of the four servers. */
export type ServerName = (typeof SERVER_NAMES)[number];

/** The step's server and tool. */
export function stepOf(step: WorkflowStep): (typeof WORKFLOW_STEPS)[number] | typeof SEND_STEP {
  if (step === SEND_STEP.step) return SEND_STEP;
  const found = WORKFLOW_STEPS.find((s) => s.step === step);
  if (found === undefined) throw new Error(`unknown step ${step}`);
  return found;
}

/** Days of product usage read per account. */
export const USAGE_DAYS = 30;

/** Days of mailbox history read per contact; a thread in this window means "in touch". */
export const RECENT_THREAD_DAYS = 14;
