import { gmailErrorBody, gmailNotFound } from "../fixtures/gmail.js";
import type { EmulatorReply, EmulatorRequest } from "../http/types.js";
import type { Mailbox, MailMessage } from "./mailbox.js";
import { parseRfc822 } from "./rfc822.js";
import { compileQuery } from "./search-query.js";

type Clock = () => number;

/** `GET /profile`. */
export function profile(mailbox: Mailbox): EmulatorReply {
  return {
    status: 200,
    body: {
      emailAddress: mailbox.owner,
      messagesTotal: mailbox.messages.size,
      threadsTotal: mailbox.threadIds(),
      historyId: String(mailbox.nextHistory()),
    },
  };
}

/** Messages matching `q` (and `labelIds`), or a 400 for a bad query. */
function search(mailbox: Mailbox, request: EmulatorRequest, now: Clock): MailMessage[] | EmulatorReply {
  let match: ReturnType<typeof compileQuery>;
  try {
    match = compileQuery(request.query.get("q") ?? "");
  } catch (error) {
    return {
      status: 400,
      body: gmailErrorBody(400, "invalidArgument", `Invalid query: ${(error as Error).message}`),
    };
  }
  const labels = request.query.getAll("labelIds");
  const at = now();
  return mailbox.list((m) => match(m, at) && labels.every((l) => m.labelIds.includes(l)));
}

/** Page of a list: `maxResults` (default 100, at most 500) from `pageToken` (an offset). */
function page<T>(items: T[], request: EmulatorRequest): { items: T[]; next?: string } | EmulatorReply {
  const max = Number(request.query.get("maxResults") ?? 100);
  if (!Number.isInteger(max) || max < 1 || max > 500) {
    return {
      status: 400,
      body: gmailErrorBody(400, "invalidArgument", `Invalid maxResults: ${request.query.get("maxResults")}`),
    };
  }
  const token = request.query.get("pageToken");
  const offset = token ? Number.parseInt(Buffer.from(token, "base64url").toString(), 10) : 0;
  if (!Number.isInteger(offset) || offset < 0)
    return { status: 400, body: gmailErrorBody(400, "invalidArgument", "Invalid pageToken") };
  const slice = items.slice(offset, offset + max);
  const nextOffset = offset + slice.length;
  return {
    items: slice,
    ...(nextOffset < items.length ? { next: Buffer.from(String(nextOffset)).toString("base64url") } : {}),
  };
}

const isReply = (x: unknown): x is EmulatorReply => typeof x === "object" && x !== null && "status" in x;

/** `GET /messages?q=&maxResults=&pageToken=`: an empty result omits `messages`. */
export function listMessages(mailbox: Mailbox, request: EmulatorRequest, now: Clock): EmulatorReply {
  const found = search(mailbox, request, now);
  if (isReply(found)) return found;
  const paged = page(found, request);
  if (isReply(paged)) return paged;
  return {
    status: 200,
    body: {
      ...(paged.items.length > 0
        ? { messages: paged.items.map((m) => ({ id: m.id, threadId: m.threadId })) }
        : {}),
      ...(paged.next ? { nextPageToken: paged.next } : {}),
      resultSizeEstimate: found.length,
    },
  };
}

/** `GET /threads?q=`: threads with a matching message, newest first; an empty result omits `threads`. */
export function listThreads(mailbox: Mailbox, request: EmulatorRequest, now: Clock): EmulatorReply {
  const found = search(mailbox, request, now);
  if (isReply(found)) return found;
  const seen = new Map<string, MailMessage>();
  for (const m of found) if (!seen.has(m.threadId)) seen.set(m.threadId, m);
  const threads = [...seen.values()];
  const paged = page(threads, request);
  if (isReply(paged)) return paged;
  return {
    status: 200,
    body: {
      ...(paged.items.length > 0
        ? {
            threads: paged.items.map((m) => ({ id: m.threadId, snippet: m.snippet, historyId: m.historyId })),
          }
        : {}),
      ...(paged.next ? { nextPageToken: paged.next } : {}),
      resultSizeEstimate: threads.length,
    },
  };
}

/** A message resource in `format` (`full`/`metadata`/`minimal`/`raw`). */
export function messageResource(m: MailMessage, format: string, metadataHeaders: string[] = []) {
  const base = {
    id: m.id,
    threadId: m.threadId,
    labelIds: m.labelIds,
    snippet: m.snippet,
    historyId: m.historyId,
    internalDate: String(m.internalDate),
    sizeEstimate: m.raw ? Math.round((m.raw.length * 3) / 4) : 1_024,
  };
  if (format === "minimal") return base;
  if (format === "raw") return { ...base, raw: m.raw ?? "" };
  const wanted = metadataHeaders.map((h) => h.toLowerCase());
  const headers =
    format === "metadata" && wanted.length > 0
      ? m.headers.filter((h) => wanted.includes(h.name.toLowerCase()))
      : m.headers;
  return { ...base, payload: { partId: "", mimeType: "text/plain", filename: "", headers } };
}

/** `GET /messages/{id}`. */
export function getMessage(mailbox: Mailbox, request: EmulatorRequest): EmulatorReply {
  const m = mailbox.messages.get(request.params.id!);
  if (!m) return { status: 404, body: gmailNotFound() };
  return {
    status: 200,
    body: messageResource(m, request.query.get("format") ?? "full", request.query.getAll("metadataHeaders")),
  };
}

/** `GET /threads/{id}`: the thread's messages, oldest first. */
export function getThread(mailbox: Mailbox, request: EmulatorRequest): EmulatorReply {
  const messages = mailbox.list((m) => m.threadId === request.params.id).reverse();
  if (messages.length === 0) return { status: 404, body: gmailNotFound() };
  const format = request.query.get("format") ?? "full";
  return {
    status: 200,
    body: {
      id: request.params.id,
      historyId: messages[messages.length - 1]!.historyId,
      messages: messages.map((m) => messageResource(m, format, request.query.getAll("metadataHeaders"))),
    },
  };
}

/** `POST /drafts` `{message:{raw, threadId?}}` → `{id, message:{id, threadId, labelIds}}`. Not idempotent. */
export function createDraft(mailbox: Mailbox, request: EmulatorRequest, now: Clock): EmulatorReply {
  const body = request.body as { message?: { raw?: unknown; threadId?: unknown } } | undefined;
  const raw = body?.message?.raw;
  if (typeof raw !== "string" || raw === "") {
    return { status: 400, body: gmailErrorBody(400, "invalidArgument", "Missing draft message") };
  }
  let text: string;
  try {
    text = Buffer.from(raw, "base64url").toString("utf8");
  } catch {
    return { status: 400, body: gmailErrorBody(400, "invalidArgument", "Invalid value for ByteString") };
  }
  const parsed = parseRfc822(text);
  if (parsed.to !== "" && !/@/.test(parsed.to))
    return { status: 400, body: gmailErrorBody(400, "invalidArgument", "Invalid To header") };
  const threadId = typeof body?.message?.threadId === "string" ? body.message.threadId : undefined;
  if (threadId !== undefined && !mailbox.list((m) => m.threadId === threadId).length) {
    return { status: 404, body: gmailNotFound() };
  }
  const id = mailbox.newId();
  const draftId = `r${BigInt(`0x${mailbox.newId()}`) % 10n ** 18n}`;
  const at = now();
  mailbox.messages.set(id, {
    id,
    threadId: threadId ?? id,
    from: parsed.from || mailbox.owner,
    to: parsed.to,
    cc: parsed.cc,
    subject: parsed.subject,
    snippet: parsed.body.replace(/\s+/g, " ").trim().slice(0, 200),
    messageId: parsed.messageId,
    labelIds: ["DRAFT"],
    internalDate: at,
    raw,
    headers: parsed.headers,
    historyId: String(mailbox.nextHistory()),
  });
  mailbox.drafts.set(draftId, { id: draftId, messageId: id, createdAt: new Date(at).toISOString() });
  mailbox.draftLog.push({
    draftId,
    messageId: id,
    rfc822MessageId: parsed.messageId,
    to: parsed.to,
    subject: parsed.subject,
    at: new Date(at).toISOString(),
  });
  return {
    status: 200,
    body: { id: draftId, message: { id, threadId: threadId ?? id, labelIds: ["DRAFT"] } },
  };
}

/** `GET /drafts/{id}?format=`. */
export function getDraft(mailbox: Mailbox, request: EmulatorRequest): EmulatorReply {
  const draft = mailbox.drafts.get(request.params.id!);
  const message = draft ? mailbox.messages.get(draft.messageId) : undefined;
  if (!draft || !message) return { status: 404, body: gmailNotFound() };
  return {
    status: 200,
    body: { id: draft.id, message: messageResource(message, request.query.get("format") ?? "full") },
  };
}

/** `GET /drafts?q=`: drafts whose message matches; an empty result omits `drafts`. */
export function listDrafts(mailbox: Mailbox, request: EmulatorRequest, now: Clock): EmulatorReply {
  const found = search(mailbox, request, now);
  if (isReply(found)) return found;
  const byMessage = new Map([...mailbox.drafts.values()].map((d) => [d.messageId, d]));
  const drafts = found.flatMap((m) => {
    const d = byMessage.get(m.id);
    return d ? [{ id: d.id, message: { id: m.id, threadId: m.threadId } }] : [];
  });
  const paged = page(drafts, request);
  if (isReply(paged)) return paged;
  return {
    status: 200,
    body: {
      ...(paged.items.length > 0 ? { drafts: paged.items } : {}),
      ...(paged.next ? { nextPageToken: paged.next } : {}),
      resultSizeEstimate: drafts.length,
    },
  };
}

/** `POST /drafts/send` `{id}` → the sent message `{id, threadId, labelIds}`; the draft is gone. Not idempotent. */
export function sendDraft(mailbox: Mailbox, request: EmulatorRequest, now: Clock): EmulatorReply {
  const id = (request.body as { id?: unknown } | undefined)?.id;
  if (typeof id !== "string" || id === "")
    return { status: 400, body: gmailErrorBody(400, "invalidArgument", "Missing draft id") };
  const draft = mailbox.drafts.get(id);
  const message = draft ? mailbox.messages.get(draft.messageId) : undefined;
  if (!draft || !message) return { status: 404, body: gmailNotFound() };
  if (message.to === "")
    return { status: 400, body: gmailErrorBody(400, "invalidArgument", "Invalid To header") };
  mailbox.drafts.delete(id);
  message.labelIds = ["SENT"];
  message.internalDate = now();
  message.historyId = String(mailbox.nextHistory());
  mailbox.sends.push({
    draftId: id,
    messageId: message.id,
    threadId: message.threadId,
    rfc822MessageId: message.messageId,
    to: message.to,
    subject: message.subject,
    at: new Date(message.internalDate).toISOString(),
  });
  return { status: 200, body: { id: message.id, threadId: message.threadId, labelIds: ["SENT"] } };
}
