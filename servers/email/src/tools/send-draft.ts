import { bounded, isToolError, ToolError } from "@gtm-mcp/tool-kit/errors";
import { recallReconcileHint, rememberReconcileHint } from "@gtm-mcp/tool-kit/idempotency";
import { defineTool, ElicitationRefused, type ToolContext } from "@gtm-mcp/tool-kit/tools";
import { z } from "zod";
import { normalizeAddress, parseAddress } from "../model/address.js";
import { confirmPrompt } from "../model/confirm-prompt.js";
import { type DraftView, splitAddresses, viewDraft } from "../model/draft-view.js";
import { gmailIdInput } from "../model/inputs.js";
import { cooldownSubject, MAX_RECIPIENTS, recipientProblem } from "../model/recipient-rules.js";
import { getDraft, sendDraft } from "../upstream/drafts.js";
import { headerOf } from "../upstream/message-fields.js";
import { findSentByMessageId, getMessageMetadata } from "../upstream/messages.js";
import type { EmailToolDeps } from "./deps.js";

/** The time-window limit a send takes per recipient. */
export const COOLDOWN = "recipient_cooldown";

const output = z.object({
  draft_id: z.string(),
  message_id: z.string().describe("Gmail id of the sent message"),
  thread_id: z.string(),
  to: z.array(z.string()).describe("Every recipient, normalised"),
  subject: z.string(),
  confirmed_by_person: z.boolean().describe("True when a person confirmed this send through the client"),
});

/**
 * `send_draft`, listed only when `EMAIL_SEND_MODE` is `confirm` or `on` (and writes are on).
 * In `confirm` mode a person is asked first (MCP elicitation, form mode) and the draft is sent
 * only on an explicit accept; decline or cancel send nothing, release the key and use no cap.
 * Counts against the `sends` cap of the run, and takes each recipient's cooldown atomically
 * with the claim. Errors: NOT_FOUND (no such draft), INVALID_INPUT (a recipient unreadable or
 * suppressed), PERMISSION_DENIED (declined, cancelled, or a client that cannot ask),
 * CAP_EXCEEDED (the send cap, or a recipient's cooldown, with retryAfterMs), CONFLICT (the
 * draft changed between its checks and the send: nothing sent), the Gmail codes.
 */
export function sendDraftTool(deps: EmailToolDeps) {
  const confirm = deps.sendMode === "confirm";
  /**
   * The draft as `windows` read and checked it (recipients, suppression, cooldowns), per call:
   * keyed by the call's stats object, the one thing the pipeline hands both `windows` and the
   * handler of one call (and no other call). The handler sends only that version.
   */
  const checkedDrafts = new WeakMap<object, DraftView>();
  return defineTool({
    name: "send_draft",
    title: "Send draft",
    description:
      "Sends one existing Gmail draft" +
      (confirm
        ? " after a person confirms it in the client (MCP elicitation); a decline sends nothing."
        : ".") +
      " Sends are capped per run, and a recipient written to in the last cooldown days is refused with CAP_EXCEEDED and retryAfterMs. " +
      "The same draft is sent once: a repeat returns the first result with replayed: true. NOT_FOUND: no such draft. " +
      "CONFLICT: the draft changed while it was being checked; nothing was sent.",
    kind: "write",
    input: z.object({ draft_id: gmailIdInput.describe("Gmail draft id (from create_outreach_draft)") }),
    output,
    hints: { destructiveHint: true },
    caps: ["sends"],
    deadlineMs: 20_000,
    windows: async (args, ctx) => {
      const view = await readChecked(deps, args.draft_id, ctx);
      if (view === undefined) return [];
      checkedDrafts.set(ctx.stats, view);
      if (deps.cooldownMs <= 0) return [];
      // Keyed by the mailbox each recipient reaches: `Jane+x@acme.com` shares jane@acme.com's cooldown.
      const subjects = new Set(view.recipients.map(cooldownSubject));
      return [...subjects].map((subject) => ({ name: COOLDOWN, subject, windowMs: deps.cooldownMs }));
    },
    idempotency: {
      key: (args) => ({ target: args.draft_id, occurrence: "send" }),
      reconcile: (args, ctx) => findSent(deps, args.draft_id, ctx),
    },
    async handler({ draft_id }, ctx) {
      // The version whose recipients took the cooldowns, and no other.
      const view = checkedDrafts.get(ctx.stats);
      if (view === undefined) {
        // `windows` found no draft: it is gone (NOT_FOUND). Any other way here is a bug, not a send.
        await getDraft(deps.gmail, draft_id, ctx.scope);
        throw new Error("send_draft: the draft was not checked before the key was claimed");
      }
      checkRecipients(deps, view);
      if (confirm) await askPerson(deps, view, ctx);
      // Bound to the send: what goes out is what was checked (and confirmed), read once more
      // right before drafts.send. A draft edited in between is refused, nothing sent.
      const now = viewDraft(await getDraft(deps.gmail, draft_id, ctx.scope));
      if (!sameDraft(view, now)) {
        throw new ToolError(
          "CONFLICT",
          "The draft changed after its recipients were checked (its recipients or content differ); nothing was sent. A person should review the draft before it is sent.",
          { field: "draft_id", details: { changed: changedParts(view, now) } },
        );
      }
      // Left in the shared store before the send: any process can reconcile a lost answer.
      if (view.messageIdHeader && deps.store) {
        await rememberReconcileHint(
          deps.store,
          ctx.idempotencyKey,
          { messageIdHeader: view.messageIdHeader },
          deps.retentionMs,
        );
      }
      let sent: { id: string; threadId: string };
      try {
        sent = await sendDraft(deps.gmail, draft_id, ctx.scope);
      } catch (error) {
        // The request left and no answer came: look for it among sent mail before saying unknown.
        if (isToolError(error) && error.sideEffect === "unknown" && view.messageIdHeader) {
          const found = await findSentByMessageId(deps.gmail, view.messageIdHeader, {}).catch(
            () => undefined,
          );
          if (found) sent = found;
          else throw error;
        } else throw error;
      }
      return {
        draft_id,
        message_id: sent.id,
        thread_id: sent.threadId,
        to: view.recipients,
        subject: view.subject,
        confirmed_by_person: confirm,
      };
    },
  });
}

/**
 * The draft, read and its recipients checked; undefined when the draft is gone (the call
 * replays or fails). Runs before the key is claimed, so a draft whose recipients cannot be
 * sent to is refused here without taking a cap, a cooldown or the key.
 */
async function readChecked(
  deps: EmailToolDeps,
  draftId: string,
  ctx: ToolContext,
): Promise<DraftView | undefined> {
  let view: DraftView;
  try {
    view = viewDraft(await getDraft(deps.gmail, draftId, ctx.scope));
  } catch (error) {
    if (isToolError(error) && error.code === "NOT_FOUND") return undefined;
    throw error;
  }
  checkRecipients(deps, view);
  return view;
}

/** Whether two reads of a draft are the same message: the same recipients and content. */
function sameDraft(a: DraftView, b: DraftView): boolean {
  return changedParts(a, b).length === 0;
}

function changedParts(a: DraftView, b: DraftView): string[] {
  const changed: string[] = [];
  const set = (list: string[]) => JSON.stringify([...list].sort());
  if (set(a.recipients) !== set(b.recipients) || a.unreadable.length !== b.unreadable.length)
    changed.push("recipients");
  if (a.contentHash !== b.contentHash || a.messageId !== b.messageId) changed.push("content");
  return changed;
}

/**
 * Every recipient of the draft (To, Cc, Bcc) meets the rules a created draft's `to` meets
 * (`recipient-rules.ts`), whoever wrote the draft: one plain address each, not on a public
 * suffix or free-mail domain, not suppressed (by the mailbox it reaches); at most
 * MAX_RECIPIENTS of them. INVALID_INPUT
 * (`draft_id`) naming the first that does not; nothing is sent.
 */
function checkRecipients(deps: EmailToolDeps, view: DraftView): void {
  if (view.recipients.length === 0 && view.unreadable.length === 0)
    throw new ToolError("INVALID_INPUT", "The draft has no recipient", { field: "draft_id" });
  const count = view.recipients.length + view.unreadable.length;
  if (count > MAX_RECIPIENTS)
    throw new ToolError(
      "INVALID_INPUT",
      `The draft has ${count} recipients; at most ${MAX_RECIPIENTS} are sent to; not sent`,
      { field: "draft_id" },
    );
  const unreadable = view.unreadable[0];
  if (unreadable !== undefined) {
    const why = parseAddress(unreadable).problem ?? "not one plain address";
    throw new ToolError(
      "INVALID_INPUT",
      `The draft's recipient ${JSON.stringify(bounded(unreadable, 100))} is refused (${why}); a person must fix the draft; not sent`,
      { field: "draft_id" },
    );
  }
  for (const recipient of view.recipients) {
    const problem = recipientProblem(recipient, deps.suppression);
    if (problem !== undefined) {
      throw new ToolError(
        "INVALID_INPUT",
        problem.reason === "suppressed"
          ? `The draft's recipient ${recipient} is on the suppression list; not sent`
          : `The draft's recipient ${recipient} is refused: ${problem.message}; not sent`,
        { field: "draft_id" },
      );
    }
  }
}

/** How long a person's answer to a send's confirmation may be used. */
const CONFIRM_TTL_MS = 10 * 60_000;

/**
 * Asks a person to confirm this send; resolves only on an explicit accept of `confirm: true`.
 * The person sees every recipient, the subject and the full text ({@link confirmPrompt}); the
 * answer is bound (by the tool-kit's sealed, once-only request state) to this draft, its
 * message, its content hash and its recipients, for {@link CONFIRM_TTL_MS}.
 */
async function askPerson(deps: EmailToolDeps, view: DraftView, ctx: ToolContext): Promise<void> {
  if (!ctx.elicit) {
    throw new ElicitationRefused(
      "unsupported",
      "This send needs a person's confirmation and this call cannot ask one; nothing was sent.",
    );
  }
  const prompt = confirmPrompt(view, deps.sender);
  const answer = await ctx.elicit({
    id: "confirm_send",
    message: prompt.message,
    requestedSchema: {
      type: "object",
      properties: {
        confirm: { type: "boolean", title: "Send it", description: "Tick to send this email now" },
      },
      required: ["confirm"],
    },
    shown: prompt.shown,
    ttlMs: CONFIRM_TTL_MS,
  });
  if (answer.confirm !== true)
    throw new ElicitationRefused("declined", "The person did not confirm the send; nothing was sent.");
}

/**
 * After an unknown outcome: a draft that still exists was not sent (Gmail removes it on
 * send). A draft that is gone is looked for among sent mail by its Message-ID, left in the
 * shared store beside the key before the send (so any process, after a restart too, can look);
 * when that is not known or not found, this cannot tell (OUTCOME_UNKNOWN, for a person to
 * check the Sent folder).
 */
async function findSent(deps: EmailToolDeps, draftId: string, ctx: ToolContext & { idempotencyKey: string }) {
  try {
    await getDraft(deps.gmail, draftId, ctx.scope);
    return null;
  } catch (error) {
    if (!isToolError(error) || error.code !== "NOT_FOUND") throw error;
  }
  const hint = deps.store ? await recallReconcileHint(deps.store, ctx.idempotencyKey) : undefined;
  const marker = (hint as { messageIdHeader?: unknown } | undefined)?.messageIdHeader;
  if (typeof marker !== "string") throw new Error("the draft is gone and its Message-ID was not recorded");
  const sent = await findSentByMessageId(deps.gmail, marker, ctx.scope);
  if (!sent) throw new Error("the draft is gone but no sent message carries its Message-ID");
  // The result is read from the sent message itself, not guessed.
  const message = await getMessageMetadata(deps.gmail, sent.id, ["To", "Cc", "Bcc", "Subject"], ctx.scope);
  const to = ["To", "Cc", "Bcc"]
    .flatMap((name) => splitAddresses(headerOf(message.payload, name) ?? ""))
    .map((part) => normalizeAddress(part))
    .filter((address): address is string => address !== undefined);
  return {
    draft_id: draftId,
    message_id: sent.id,
    thread_id: sent.threadId,
    to: [...new Set(to)],
    subject: headerOf(message.payload, "Subject") ?? "",
    confirmed_by_person: deps.sendMode === "confirm",
  };
}
