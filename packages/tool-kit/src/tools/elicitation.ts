import { createHash, randomUUID } from "node:crypto";
import {
  CLIENT_CAPABILITIES_META_KEY,
  type ElicitRequestFormParams,
  type InputRequiredResult,
  inputRequired,
  type ServerContext,
} from "@modelcontextprotocol/server";
import type { StateSeal } from "../core/state-seal.js";
import { ToolError } from "../errors/index.js";
import type { TtlCacheStore } from "../idempotency/ttl-cache.js";
import { useOnce } from "../idempotency/use-once.js";

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
  /** How long the person's answer may be used after the question (default 10 minutes). */
  ttlMs?: number;
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
  /** This round's request state (`ctx.mcpReq.requestState()`): attacker-controlled, opened only through the seal. */
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

/** The seal purpose of a question's request state. */
const PURPOSE = "elicitation";
const DEFAULT_TTL_MS = 10 * 60_000;

/** What binds an answer, under the server's key: see {@link createElicit}. */
export interface ElicitationBinding {
  /** The server's state seal (`GTM_STATE_SECRET`): the request state is an HMAC-sealed token. */
  seal: StateSeal;
  /**
   * The shared store, where an accepted answer's nonce is marked used, so one answer acts
   * once in every process sharing it. Absent (a server without a store), answers are sealed
   * and expire but are not marked used.
   */
  store?: TtlCacheStore | undefined;
  /** Epoch ms now (tests move it). */
  now?: () => number;
}

/** The sealed request state: question id, digest of what was shown, a nonce, the expiry. */
interface BoundState {
  q: string;
  h: string;
  n: string;
  x: number;
}

/**
 * Builds a handler's {@link Elicit} for one round. The answer to `id` is used only when this
 * round carries it with a request state that (1) opens under the server's seal — an HMAC over
 * the question id, a digest of what is shown now (message and `shown`), a nonce and an expiry,
 * so a forged, altered or expired state is refused —, (2) was given to what is shown now, and,
 * for an accept, (3) was not used before (its nonce is marked used in the store, once across
 * processes). Anything else ends the round with an `input_required` result asking the
 * question again under a fresh state.
 *
 * @throws ElicitationRefused (`PERMISSION_DENIED`) on decline, cancel, or a client without
 * form elicitation; InputRequiredSignal to ask.
 */
export function createElicit(channel: ElicitationChannel | undefined, binding: ElicitationBinding): Elicit {
  const now = binding.now ?? Date.now;
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
    if (answer !== undefined) {
      const at = now();
      const state = binding.seal.open(PURPOSE, channel.requestState, at) as Partial<BoundState> | undefined;
      const bound =
        state !== undefined &&
        state !== null &&
        state.q === request.id &&
        state.h === digest &&
        typeof state.n === "string" &&
        typeof state.x === "number";
      if (bound) {
        if (answer.action === "accept") {
          const first =
            binding.store === undefined ||
            (await useOnce(binding.store, `${PURPOSE}:${state.n}`, Math.max(1, state.x! - at) + 60_000));
          if (first) return answer.content ?? {};
          // A replayed accept: the answer was used already; the person is asked again.
        } else {
          const refusal = answer.action === "decline" ? "declined" : "cancelled";
          throw new ElicitationRefused(refusal, `The person ${refusal} the confirmation; nothing was done.`);
        }
      }
    }
    const ttlMs = request.ttlMs ?? DEFAULT_TTL_MS;
    const at = now();
    const state: BoundState = { q: request.id, h: digest, n: randomUUID(), x: at + ttlMs };
    throw new InputRequiredSignal(
      inputRequired({
        inputRequests: {
          [request.id]: inputRequired.elicit({
            mode: "form",
            message: request.message,
            requestedSchema: request.requestedSchema,
          }),
        },
        requestState: binding.seal.seal(PURPOSE, state, ttlMs, at),
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
