import { type HttpStub, type StubReply, type StubRequest, startHttpStub } from "@gtm-mcp/tool-kit/testing";
import { simpleParser } from "mailparser";

/**
 * A stateful Gmail API and Google token endpoint on a real localhost port, answering as
 * vendors.md says Gmail does: errors as `{error:{code, message, status, errors:[{domain,
 * reason, message}]}}`, lists that omit `messages`/`drafts` when empty, 401 for an unknown
 * token, `rfc822msgid:` search. Faults are queued per route and used once each.
 */
export interface GmailStub {
  /** `http://127.0.0.1:<port>/gmail/v1/users/me`. */
  readonly baseUrl: string;
  /** `http://127.0.0.1:<port>/token`. */
  readonly tokenUrl: string;
  readonly requests: StubRequest[];
  readonly drafts: Map<string, StoredMessage & { draftId: string }>;
  readonly sent: StoredMessage[];
  /** Token requests answered. */
  tokenRequests(): number;
  /** Makes every issued access token invalid (401) until the next refresh. */
  revokeAccessTokens(): void;
  /**
   * Queues a fault on an operation (`drafts.create`, `drafts.send`, `drafts.get`,
   * `drafts.list`, `messages.list`, `messages.get`, `threads.get`, `profile`): with `apply`
   * the request is carried out first (it reached Gmail), then `reply` is sent instead.
   */
  fault(operation: string, reply: StubReply, options?: { apply?: boolean }): void;
  /**
   * Runs `hook` before each request of `operation` is answered (a person acting between two
   * reads: editing a draft, sending it); `hook` gets the count of such requests so far, from 1.
   */
  beforeEach(operation: string, hook: (count: number) => void): void;
  /** Adds a message to the mailbox (for list_recent_threads). */
  addMessage(message: Partial<StoredMessage> & { from: string; to: string; subject: string }): StoredMessage;
  close(): Promise<void>;
}

export interface StoredMessage {
  id: string;
  threadId: string;
  labelIds: string[];
  from: string;
  to: string;
  /** Cc and Bcc headers, for drafts a person wrote. */
  cc?: string | undefined;
  bcc?: string | undefined;
  subject: string;
  /** Gmail's snippet; the text's first 100 characters when not given. */
  snippet?: string | undefined;
  messageIdHeader: string;
  inReplyTo?: string | undefined;
  references?: string | undefined;
  text: string;
  html?: string | undefined;
  internalDate: number;
  raw?: string;
}

export interface GmailStubOptions {
  emailAddress?: string;
  /** The `scope` the token endpoint answers (space-separated); undefined leaves it out. */
  scope?: string | undefined;
  /** The token endpoint answers invalid_grant. */
  revokedRefreshToken?: boolean;
  /** Delay of each token answer, ms. */
  tokenDelayMs?: number;
}

export const GMAIL_SCOPES =
  "https://www.googleapis.com/auth/gmail.compose https://www.googleapis.com/auth/gmail.readonly";

const PREFIX = "/gmail/v1/users/me";

export function gmailError(code: number, status: string, reason: string, message: string) {
  return { error: { code, message, status, errors: [{ domain: "global", reason, message }] } };
}

const notFound = () => ({
  status: 404,
  body: gmailError(404, "NOT_FOUND", "notFound", "Requested entity was not found."),
});

export async function startGmailStub(options: GmailStubOptions = {}): Promise<GmailStub> {
  const emailAddress = options.emailAddress ?? "rep@seller.test";
  const scope = "scope" in options ? options.scope : GMAIL_SCOPES;
  let tokens = 0;
  const valid = new Set<string>();
  const drafts = new Map<string, StoredMessage & { draftId: string }>();
  const messages = new Map<string, StoredMessage>();
  const sent: StoredMessage[] = [];
  const faults = new Map<string, Array<{ reply: StubReply; apply: boolean }>>();
  const hooks = new Map<string, { hook: (count: number) => void; count: number }>();
  let seq = 0;
  const nextId = () => (0x18c0000000 + ++seq).toString(16);

  const takeFault = (route: string) => {
    const queue = faults.get(route);
    return queue?.shift();
  };

  const handle = async (req: StubRequest): Promise<StubReply> => {
    if (req.method === "POST" && req.pathname === "/token") {
      if (options.tokenDelayMs) await new Promise((r) => setTimeout(r, options.tokenDelayMs));
      const form = new URLSearchParams(String(req.body ?? ""));
      if (form.get("grant_type") !== "refresh_token" || options.revokedRefreshToken) {
        return {
          status: 400,
          body: { error: "invalid_grant", error_description: "Token has been expired or revoked." },
        };
      }
      tokens += 1;
      const token = `ya29.stub-${tokens}-${Math.random().toString(36).slice(2, 12)}`;
      valid.add(token);
      return {
        status: 200,
        body: { access_token: token, expires_in: 3599, token_type: "Bearer", ...(scope ? { scope } : {}) },
      };
    }
    if (!req.pathname.startsWith(PREFIX)) return { status: 404, body: "not found" };
    const path = req.pathname.slice(PREFIX.length);
    const auth = String(req.headers.authorization ?? "");
    if (!valid.has(auth.replace(/^Bearer /, ""))) {
      return {
        status: 401,
        body: gmailError(
          401,
          "UNAUTHENTICATED",
          "authError",
          "Request had invalid authentication credentials.",
        ),
      };
    }
    const operation = operationOf(req.method, path);
    const hook = hooks.get(operation);
    if (hook) hook.hook(++hook.count);
    const fault = takeFault(operation);
    if (fault && !fault.apply) return fault.reply;
    const answer = await route_(req, path);
    return fault ? fault.reply : answer;
  };

  const route_ = async (req: StubRequest, path: string): Promise<StubReply> => {
    if (req.method === "GET" && path === "/profile") {
      return {
        status: 200,
        body: { emailAddress, messagesTotal: messages.size, threadsTotal: 1, historyId: "1234" },
      };
    }
    if (req.method === "POST" && path === "/drafts") {
      const body = req.body as { message?: { raw?: string; threadId?: string } };
      const raw = body?.message?.raw;
      if (typeof raw !== "string")
        return { status: 400, body: gmailError(400, "INVALID_ARGUMENT", "invalidArgument", "Invalid raw") };
      const parsed = await simpleParser(Buffer.from(raw, "base64url"));
      const threadId = body.message?.threadId ?? nextId();
      const draftId = `r${nextId()}`;
      const stored = {
        draftId,
        id: nextId(),
        threadId,
        labelIds: ["DRAFT"],
        from: parsed.from?.text ?? emailAddress,
        to: (Array.isArray(parsed.to) ? parsed.to.map((t) => t.text).join(", ") : parsed.to?.text) ?? "",
        subject: parsed.subject ?? "",
        messageIdHeader: parsed.messageId ?? "",
        inReplyTo: parsed.inReplyTo,
        references: Array.isArray(parsed.references) ? parsed.references.join(" ") : parsed.references,
        text: parsed.text ?? "",
        html: typeof parsed.html === "string" ? parsed.html : undefined,
        internalDate: Date.now(),
        raw,
      };
      drafts.set(draftId, stored);
      return {
        status: 200,
        body: { id: draftId, message: { id: stored.id, threadId, labelIds: ["DRAFT"] } },
      };
    }
    if (req.method === "GET" && path === "/drafts") {
      const q = req.query.get("q") ?? "";
      const wanted = /rfc822msgid:(\S+)/.exec(q)?.[1];
      const found = [...drafts.values()].filter(
        (d) => wanted === undefined || bareId(d.messageIdHeader) === wanted,
      );
      return {
        status: 200,
        body: {
          ...(found.length
            ? { drafts: found.map((d) => ({ id: d.draftId, message: { id: d.id, threadId: d.threadId } })) }
            : {}),
          resultSizeEstimate: found.length,
        },
      };
    }
    if (req.method === "GET" && path.startsWith("/drafts/")) {
      const draft = drafts.get(decodeURIComponent(path.slice("/drafts/".length)));
      if (!draft) return notFound();
      return { status: 200, body: { id: draft.draftId, message: full(draft) } };
    }
    if (req.method === "POST" && path === "/drafts/send") {
      const id = (req.body as { id?: string })?.id ?? "";
      const draft = drafts.get(id);
      if (!draft) return notFound();
      drafts.delete(id);
      const message: StoredMessage = { ...draft, labelIds: ["SENT"], internalDate: Date.now() };
      messages.set(message.id, message);
      sent.push(message);
      return { status: 200, body: { id: message.id, threadId: message.threadId, labelIds: ["SENT"] } };
    }
    if (req.method === "GET" && path === "/messages") {
      const found = search([...messages.values()], req.query.get("q") ?? "");
      const max = Number(req.query.get("maxResults") ?? 100);
      const page = found.slice(0, max);
      return {
        status: 200,
        body: {
          ...(page.length ? { messages: page.map((m) => ({ id: m.id, threadId: m.threadId })) } : {}),
          ...(found.length > max ? { nextPageToken: "next" } : {}),
          resultSizeEstimate: found.length,
        },
      };
    }
    if (req.method === "GET" && path.startsWith("/messages/")) {
      const message = messages.get(decodeURIComponent(path.slice("/messages/".length)));
      if (!message) return notFound();
      return { status: 200, body: metadata(message, req.query.getAll("metadataHeaders")) };
    }
    if (req.method === "GET" && path.startsWith("/threads/")) {
      const threadId = decodeURIComponent(path.slice("/threads/".length));
      const inThread = [...messages.values()]
        .filter((m) => m.threadId === threadId)
        .sort((a, b) => a.internalDate - b.internalDate);
      if (inThread.length === 0) return notFound();
      return {
        status: 200,
        body: {
          id: threadId,
          messages: inThread.map((m) => metadata(m, req.query.getAll("metadataHeaders"))),
        },
      };
    }
    return notFound();
  };

  const http: HttpStub = await startHttpStub(handle);
  return {
    baseUrl: `${http.url}${PREFIX}`,
    tokenUrl: `${http.url}/token`,
    requests: http.requests,
    drafts,
    sent,
    tokenRequests: () => tokens,
    revokeAccessTokens: () => valid.clear(),
    fault(route, reply, opts = {}) {
      const queue = faults.get(route) ?? [];
      queue.push({ reply, apply: opts.apply ?? false });
      faults.set(route, queue);
    },
    beforeEach(operation, hook) {
      hooks.set(operation, { hook, count: 0 });
    },
    addMessage(partial) {
      const message: StoredMessage = {
        id: nextId(),
        threadId: partial.threadId ?? nextId(),
        labelIds: partial.labelIds ?? ["INBOX"],
        messageIdHeader: partial.messageIdHeader ?? `<m${seq}@mail.test>`,
        text: partial.text ?? "hello",
        internalDate: partial.internalDate ?? Date.now(),
        ...partial,
      };
      messages.set(message.id, message);
      return message;
    },
    close: () => http.close(),
  };
}

function operationOf(method: string, path: string): string {
  if (path === "/profile") return "profile";
  if (path === "/drafts/send") return "drafts.send";
  if (path === "/drafts") return method === "POST" ? "drafts.create" : "drafts.list";
  if (path.startsWith("/drafts/")) return "drafts.get";
  if (path === "/messages") return "messages.list";
  if (path.startsWith("/messages/")) return "messages.get";
  if (path.startsWith("/threads/")) return "threads.get";
  return "other";
}

function bareId(header: string): string {
  return header.replace(/^<|>$/g, "");
}

function headersOf(m: StoredMessage): Array<{ name: string; value: string }> {
  return [
    { name: "From", value: m.from },
    { name: "To", value: m.to },
    ...(m.cc ? [{ name: "Cc", value: m.cc }] : []),
    ...(m.bcc ? [{ name: "Bcc", value: m.bcc }] : []),
    { name: "Subject", value: m.subject },
    { name: "Message-ID", value: m.messageIdHeader },
    ...(m.inReplyTo ? [{ name: "In-Reply-To", value: m.inReplyTo }] : []),
    ...(m.references ? [{ name: "References", value: m.references }] : []),
    { name: "Date", value: new Date(m.internalDate).toUTCString() },
  ];
}

function full(m: StoredMessage) {
  const textPart = {
    mimeType: "text/plain",
    body: { size: m.text.length, data: Buffer.from(m.text).toString("base64url") },
  };
  const payload = m.html
    ? {
        mimeType: "multipart/alternative",
        headers: headersOf(m),
        body: { size: 0 },
        parts: [
          textPart,
          {
            mimeType: "text/html",
            body: { size: m.html.length, data: Buffer.from(m.html).toString("base64url") },
          },
        ],
      }
    : { ...textPart, headers: headersOf(m) };
  return {
    id: m.id,
    threadId: m.threadId,
    labelIds: m.labelIds,
    snippet: m.snippet ?? m.text.slice(0, 100),
    internalDate: String(m.internalDate),
    payload,
  };
}

function metadata(m: StoredMessage, wanted: string[]) {
  const names = new Set(wanted.map((w) => w.toLowerCase()));
  return {
    id: m.id,
    threadId: m.threadId,
    labelIds: m.labelIds,
    snippet: m.snippet ?? m.text.slice(0, 100),
    internalDate: String(m.internalDate),
    payload: { mimeType: "text/plain", headers: headersOf(m).filter((h) => names.has(h.name.toLowerCase())) },
  };
}

/** The subset of Gmail search the server uses: rfc822msgid:, in:sent, from:/to: with OR, newer_than:Nd. */
function search(all: StoredMessage[], q: string): StoredMessage[] {
  let found = all;
  const msgid = /rfc822msgid:(\S+)/.exec(q)?.[1];
  if (msgid) found = found.filter((m) => bareId(m.messageIdHeader) === msgid);
  if (/\bin:sent\b/.test(q)) found = found.filter((m) => m.labelIds.includes("SENT"));
  const from = /from:"?([^"\s]+)"?/.exec(q)?.[1];
  const to = /to:"?([^"\s]+)"?/.exec(q)?.[1];
  if (from || to) {
    found = found.filter(
      (m) =>
        (from !== undefined && m.from.toLowerCase().includes(from)) ||
        (to !== undefined && m.to.toLowerCase().includes(to)),
    );
  }
  const days = /newer_than:(\d+)d/.exec(q)?.[1];
  if (days) found = found.filter((m) => m.internalDate > Date.now() - Number(days) * 86_400_000);
  return found.sort((a, b) => b.internalDate - a.internalDate);
}
