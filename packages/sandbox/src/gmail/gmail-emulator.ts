import type { GmailAdminState } from "../admin/state-types.js";
import { FaultInjector } from "../faults/fault-injector.js";
import { gmailAuthError, gmailErrorBody, gmailInsufficientPermissions } from "../fixtures/gmail.js";
import type { EmulatorOptions } from "../http/emulator-options.js";
import type { EmulatorDefinition } from "../http/emulator-server.js";
import type { EmulatorReply, EmulatorRequest, Route, RouteHandler } from "../http/types.js";
import { GMAIL_UNITS, PUBLISHED_LIMITS } from "../limits/rate-policy.js";
import { TokenBucket } from "../limits/token-bucket.js";
import { SANDBOX_CREDENTIALS } from "../vendors.js";
import {
  createDraft,
  getDraft,
  getMessage,
  getThread,
  listDrafts,
  listMessages,
  listThreads,
  profile,
  sendDraft,
} from "./gmail-routes.js";
import { Mailbox } from "./mailbox.js";
import { TokenIssuer } from "./oauth-token.js";
import { addressesOf } from "./rfc822.js";

/** Options of the Gmail emulator beyond the common ones. */
export interface GmailOptions extends EmulatorOptions {
  /** Lifetime of issued access tokens (default 3,599 s, as Google). */
  tokenTtlSeconds?: number;
  /** Scopes the refresh token grants (space separated; default compose + readonly). */
  scope?: string;
}

/** The Gmail emulator, its mailbox and its token issuer. */
export interface GmailEmulator {
  definition: EmulatorDefinition;
  mailbox: Mailbox;
  tokens: TokenIssuer;
}

const BASE = "/gmail/v1/users/me";
const COMPOSE = "https://www.googleapis.com/auth/gmail.compose";
const READONLY = "https://www.googleapis.com/auth/gmail.readonly";
const FULL = ["https://mail.google.com/", "https://www.googleapis.com/auth/gmail.modify"];

/**
 * Gmail API v1 for the seller's mailbox (vendors.md) and Google's OAuth token endpoint:
 * expiring access tokens, scopes enforced per method (compose for drafts and sends, readonly
 * for reading), quota units per user per minute (403 `userRateLimitExceeded`) and a daily
 * send limit (429 with the wait only in the message).
 */
export function createGmailEmulator(options: GmailOptions): GmailEmulator {
  const now = options.now ?? Date.now;
  const mailbox = new Mailbox(options.book.seller, options.book, options.anchorMs);
  const c = SANDBOX_CREDENTIALS.gmail;
  const tokens = new TokenIssuer(
    { ...c, ...(options.scope ? { scope: options.scope } : {}) },
    options.tokenTtlSeconds ?? 3_599,
    now,
  );
  const faults = new FaultInjector(`${options.book.seed}/gmail`, now);
  if (options.faults) faults.set(options.faults);
  const units = new TokenBucket(
    Math.round(PUBLISHED_LIMITS.gmail.unitsPerMinute * options.limitScale),
    60_000,
    now,
  );
  const sendsPerDay = Math.round(PUBLISHED_LIMITS.gmail.sendsPerDay * options.limitScale);
  const scopeOf = new Map<string, string[]>();
  const calls: Record<string, number> = {};
  const listSizes: Record<string, number> = {};
  const suppressed = new Set(options.book.suppression);
  const isSuppressed = (to: string) => addressesOf(to).some((a) => suppressed.has(a));

  const route = (
    method: string,
    path: string,
    operation: string,
    scope: string[],
    handler: RouteHandler,
    write = false,
  ): Route => {
    scopeOf.set(operation, scope);
    return {
      method,
      pattern: `${BASE}${path}`,
      operation,
      write,
      handler: (request) => {
        calls[operation] = (calls[operation] ?? 0) + 1;
        return handler(request);
      },
    };
  };
  const routes: Route[] = [
    { method: "POST", pattern: "/token", operation: "oauth.token", handler: (r) => tokens.handle(r) },
    route("GET", "/profile", "users.getProfile", [READONLY, COMPOSE], () => profile(mailbox)),
    route("GET", "/messages", "messages.list", [READONLY], (r) => {
      const reply = listMessages(mailbox, r, now);
      const listed = (reply.body as { messages?: unknown[] } | undefined)?.messages?.length ?? 0;
      if (reply.status === 200) listSizes[listed] = (listSizes[listed] ?? 0) + 1;
      return reply;
    }),
    route("GET", "/messages/:id", "messages.get", [READONLY], (r) => getMessage(mailbox, r)),
    route("GET", "/threads", "threads.list", [READONLY], (r) => listThreads(mailbox, r, now)),
    route("GET", "/threads/:id", "threads.get", [READONLY], (r) => getThread(mailbox, r)),
    route("GET", "/drafts", "drafts.list", [COMPOSE, READONLY], (r) => listDrafts(mailbox, r, now)),
    route("POST", "/drafts", "drafts.create", [COMPOSE], (r) => createDraft(mailbox, r, now), true),
    route("GET", "/drafts/:id", "drafts.get", [COMPOSE, READONLY], (r) => getDraft(mailbox, r)),
    route("POST", "/drafts/send", "drafts.send", [COMPOSE], (r) => sendDraft(mailbox, r, now), true),
  ];

  const rateLimited = (operation: string): EmulatorReply =>
    operation === "drafts.send"
      ? {
          status: 429,
          body: gmailErrorBody(
            429,
            "rateLimitExceeded",
            `User-rate limit exceeded.  Retry after ${new Date(now() + 60_000).toISOString()}`,
            "usageLimits",
          ),
        }
      : {
          status: 403,
          body: gmailErrorBody(403, "userRateLimitExceeded", "User Rate Limit Exceeded", "usageLimits"),
        };

  const admin = (request: EmulatorRequest, path: string): EmulatorReply | undefined => {
    if (request.method !== "POST") return undefined;
    if (path === "/oauth/revoke") {
      tokens.revoked = true;
      return { status: 200, body: { revoked: true } };
    }
    if (path === "/oauth/restore") {
      tokens.revoked = false;
      return { status: 200, body: { revoked: false } };
    }
    if (path === "/oauth/expire") {
      tokens.expireAll();
      return { status: 200, body: { expired: tokens.tokens.size } };
    }
    return undefined;
  };

  return {
    mailbox,
    tokens,
    definition: {
      name: "gmail",
      routes,
      faults,
      admin,
      authenticate(request, r) {
        if (r.operation === "oauth.token") return undefined;
        const token = tokens.verify(request.headers.authorization);
        if (!token) return { status: 401, body: gmailAuthError() };
        const accepted = scopeOf.get(r.operation) ?? [];
        const granted = token.scopes.some((s) => accepted.includes(s) || FULL.includes(s));
        return granted ? undefined : { status: 403, body: gmailInsufficientPermissions() };
      },
      admit(_request, r) {
        if (r.operation === "oauth.token") return {};
        if (!units.take(GMAIL_UNITS[r.operation] ?? 5)) return { reject: rateLimited(r.operation) };
        if (r.operation === "drafts.send" && mailbox.sends.length >= sendsPerDay) {
          return { reject: rateLimited("drafts.send") };
        }
        return {};
      },
      failure(kind, r, status) {
        if (kind === "rate_limit") return rateLimited(r.operation);
        const code = kind === "outage" ? 503 : (status ?? 503);
        return {
          status: code,
          body: gmailErrorBody(
            code,
            "backendError",
            code === 500 ? "Internal error encountered." : "The service is currently unavailable.",
          ),
        };
      },
      unknownRoute: (_request, methodMismatch) =>
        methodMismatch
          ? { status: 405, body: gmailErrorBody(405, "httpMethodNotAllowed", "Method not allowed") }
          : { status: 404, body: gmailErrorBody(404, "notFound", "Not Found") },
      state: (): GmailAdminState => ({
        owner: mailbox.owner,
        drafts: mailbox.draftLog.map((d) => ({ ...d, sent: !mailbox.drafts.has(d.draftId) })),
        sends: mailbox.sends,
        /** Drafts and sends addressed to the book's suppression list: should stay 0. */
        suppressedRecipients: {
          drafts: mailbox.draftLog.filter((d) => isSuppressed(d.to)).length,
          sends: mailbox.sends.filter((d) => isSuppressed(d.to)).length,
        },
        tokens: { issued: tokens.issued, refused: tokens.refused, revoked: tokens.revoked },
        calls: { ...calls },
        messagesListSizes: { ...listSizes },
        faultsInjected: { ...faults.counts },
      }),
    },
  };
}
