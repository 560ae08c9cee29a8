import { createHash } from "node:crypto";
import {
  CLIENT_CAPABILITIES_META_KEY,
  type ElicitRequestFormParams,
  type InputRequiredResult,
  inputRequired,
  type ServerContext,
} from "@modelcontextprotocol/server";
import { ToolError } from "../errors/index.js";

/**
 * Asking a person through MCP elicitation (form mode) from inside a tool handler.
 *
 * The SDK v2 serves elicitation as a multi-round-trip request: the handler returns an
 * `input_required` result, the client (2026 era) or the SDK's legacy shim (2025-era
 * connections, which sends a real `elicitation/create` to the client) collects the answer,
 * and the same `tools/call` runs again carrying it in `inputResponses`. A write therefore
 * claims its key, asks, and releases the key (nothing was done, no cap kept) while the
 * person decides; the call that carries the answer claims it again and acts only on an
 * explicit accept.
 */

/** What a handler asks. */
export interface ElicitationRequest {
  /** Names the question; the answer comes back under it. Letters, digits, `_` and `-`. */
  id: string;
  /** What the person reads. */
  message: string;
  /** The form: a flat object of primitive fields (MCP's restricted JSON Schema). */
  requestedSchema: ElicitRequestFormParams["requestedSchema"];
  /**
   * What the person is shown, for binding: an answer given to a different version of the
   * facts (the draft was edited meanwhile) is not used; the person is asked again.
   */
  shown?: unknown;
}

/** Asks a person; resolves with the accepted form content. See {@link ElicitationRefused}. */
export type Elicit = (request: ElicitationRequest) => Promise<Record<string, unknown>>;

/** Why a person's confirmation was not obtained. */
export type ElicitationRefusal = "declined" | "cancelled" | "unsupported";

/**
 * The person declined or cancelled, or the client cannot ask (no form elicitation):
 * `PERMISSION_DENIED`, terminal, nothing done. The write pipeline releases the key (and
 * refunds its caps) without a review record: the same call may be made again later.
 */
export class ElicitationRefused extends ToolError {
  readonly refusal: ElicitationRefusal;

  constructor(refusal: ElicitationRefusal, message: string) {
    super("PERMISSION_DENIED", message, { details: { confirmation: refusal } });
    this.refusal = refusal;
  }
}

/** Thrown by {@link Elicit} to end this round: the pipeline answers the call with `result`. */
export class InputRequiredSignal extends Error {
  override readonly name = "InputRequiredSignal";
  readonly result: InputRequiredResult;

  constructor(result: InputRequiredResult) {
    super("input required");
    this.result = result;
  }
}

/** What the server seam knows about the request, for {@link createElicit}. */
export interface ElicitationChannel {
  /** Answers carried by this round (`ctx.mcpReq.inputResponses`). */
  responses: Record<string, unknown> | undefined;
  /** This round's request state (`ctx.mcpReq.requestState()`): attacker-controlled, compared only. */
  requestState: unknown;
  /** Whether the client declared form elicitation for this request. */
  formSupported: boolean;
}

/**
 * The seam's view of one `tools/call` request: its answers, its state and whether the client
 * can show a form (the request's envelope on the 2026 era, the `initialize` capabilities on
 * a 2025-era connection; a bare `elicitation: {}` counts as form, as the spec's pre-mode rule).
 */
export function elicitationChannel(
  ctx: ServerContext,
  connectionCapabilities: { elicitation?: Record<string, unknown> } | undefined,
): ElicitationChannel {
  const envelope = ctx.mcpReq.envelope as Record<string, unknown> | undefined;
  const declared = (envelope?.[CLIENT_CAPABILITIES_META_KEY] ?? connectionCapabilities) as
    | { elicitation?: Record<string, unknown> }
    | undefined;
  const elicitation = declared?.elicitation;
  const formSupported =
    elicitation !== undefined && (elicitation.form !== undefined || Object.keys(elicitation).length === 0);
  return {
    responses: ctx.mcpReq.inputResponses,
    requestState: ctx.mcpReq.requestState(),
    formSupported,
  };
}

const ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Builds a handler's {@link Elicit} for one round. The answer to `id` is used when this
 * round carries it and it was given to what is shown now; otherwise the round ends with an
 * `input_required` result asking the question (its digest as request state).
 *
 * @throws ElicitationRefused (`PERMISSION_DENIED`) on decline, cancel, or a client without
 * form elicitation; InputRequiredSignal to ask.
 */
export function createElicit(channel: ElicitationChannel | undefined): Elicit {
  return async (request) => {
    if (!ID.test(request.id)) throw new Error(`elicitation id "${request.id}" is not a plain name`);
    if (!channel?.formSupported) {
      throw new ElicitationRefused(
        "unsupported",
        "This action needs a person's confirmation, but the client does not support MCP elicitation (form mode); nothing was done. Use a client that can ask, or have a person act directly.",
      );
    }
    const digest = digestOf(request);
    const answer = channel.responses?.[request.id] as
      | { action?: unknown; content?: Record<string, unknown> }
      | undefined;
    if (answer !== undefined && channel.requestState === digest) {
      if (answer.action === "accept") return answer.content ?? {};
      const refusal = answer.action === "decline" ? "declined" : "cancelled";
      throw new ElicitationRefused(refusal, `The person ${refusal} the confirmation; nothing was done.`);
    }
    throw new InputRequiredSignal(
      inputRequired({
        inputRequests: {
          [request.id]: inputRequired.elicit({
            mode: "form",
            message: request.message,
            requestedSchema: request.requestedSchema,
          }),
        },
        requestState: digest,
      }),
    );
  };
}

/** Binds an answer to the question and to what was shown. */
function digestOf(request: ElicitationRequest): string {
  return createHash("sha256")
    .update(JSON.stringify([request.id, request.message, request.shown ?? null]))
    .digest("base64url");
}
