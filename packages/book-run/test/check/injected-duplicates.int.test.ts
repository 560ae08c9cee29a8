import { DEFAULT_HUBSPOT_API_VERSION, hubspotPaths } from "@gtm-mcp/crm";
import { type Book, SANDBOX_CREDENTIALS, startSandbox, VENDORS } from "@gtm-mcp/sandbox";
import { afterEach, describe, expect, it } from "vitest";
import { checkExactlyOnce, notePrefix, type RunWrites } from "../../src/check/exactly-once.js";
import type { SandboxPort } from "../../src/demo/ports.js";
import { sandboxPort } from "../../src/sandbox/start-sandbox-port.js";

// A duplicate put into the emulators through the vendors' own APIs (as a server that wrote
// twice would), read back through the sandbox port the book run uses: the check must fail on
// each kind, and pass on the state before it.

const runDate = "2026-11-29";
const NOTE_TO_COMPANY = 190;
const NOTE_TO_CONTACT = 202;

interface World {
  port: SandboxPort;
  book: Book;
  env: Record<string, string>;
}

let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
});

async function world(): Promise<World> {
  const sandbox = await startSandbox({
    seed: "inject-1",
    accounts: 20,
    ports: Object.fromEntries(VENDORS.map((v) => [v, 0])),
  });
  stop = () => sandbox.stop();
  const port = sandboxPort({
    book: sandbox.book,
    serverEnv: sandbox.env,
    admin: sandbox.admin,
    latency: {},
    stop: () => sandbox.stop(),
  });
  return { port, book: sandbox.book, env: sandbox.env };
}

async function post(
  url: string,
  body: unknown,
  headers: Record<string, string>,
): Promise<Record<string, unknown>> {
  const answer = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  expect(answer.status, `${url}: ${answer.status}`).toBeLessThan(300);
  return (await answer.json()) as Record<string, unknown>;
}

/** A note as the crm server writes it, on a company and/or a contact. */
async function note(w: World, body: string, on: { company?: string; contact?: string }) {
  const associations = [
    ...(on.company
      ? [
          {
            to: { id: on.company },
            types: [{ associationCategory: "HUBSPOT_DEFINED", associationTypeId: NOTE_TO_COMPANY }],
          },
        ]
      : []),
    ...(on.contact
      ? [
          {
            to: { id: on.contact },
            types: [{ associationCategory: "HUBSPOT_DEFINED", associationTypeId: NOTE_TO_CONTACT }],
          },
        ]
      : []),
  ];
  await post(
    `${w.env.HUBSPOT_BASE_URL}${hubspotPaths(DEFAULT_HUBSPOT_API_VERSION).objects("notes")}`,
    { properties: { hs_note_body: body, hs_timestamp: new Date().toISOString() }, associations },
    { authorization: `Bearer ${w.env.HUBSPOT_ACCESS_TOKEN}` },
  );
}

async function gmailToken(w: World): Promise<string> {
  const answer = await fetch(w.env.GMAIL_TOKEN_URL as string, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "refresh_token",
      client_id: SANDBOX_CREDENTIALS.gmail.clientId,
      client_secret: SANDBOX_CREDENTIALS.gmail.clientSecret,
      refresh_token: SANDBOX_CREDENTIALS.gmail.refreshToken,
    }).toString(),
  });
  return ((await answer.json()) as { access_token: string }).access_token;
}

/** A draft as the email server writes it; returns its id. */
async function draft(w: World, token: string, to: string): Promise<string> {
  const raw = Buffer.from(
    `From: ${w.book.seller}\r\nTo: ${to}\r\nSubject: More seats?\r\n\r\nHello\r\n`,
  ).toString("base64url");
  const made = await post(
    `${w.env.GMAIL_BASE_URL}/drafts`,
    { message: { raw } },
    { authorization: `Bearer ${token}` },
  );
  return String(made.id);
}

async function send(w: World, token: string, draftId: string): Promise<void> {
  await post(`${w.env.GMAIL_BASE_URL}/drafts/send`, { id: draftId }, { authorization: `Bearer ${token}` });
}

async function lookup(w: World, domain: string): Promise<void> {
  await fetch(`${w.env.PDL_BASE_URL}/v5/company/enrich?website=${encodeURIComponent(domain)}`, {
    headers: { "x-api-key": w.env.PDL_API_KEY as string },
  });
}

/** One note, draft, send and credit, as the run made them; returns what the run believes it wrote. */
async function runWrites(w: World): Promise<{
  run: RunWrites;
  token: string;
  draftId: string;
  company: string;
  contact: string;
  to: string;
  domain: string;
}> {
  const account = w.book.accounts.find((a) => w.book.contacts.some((c) => c.accountId === a.accountId))!;
  const contact = w.book.contacts.find((c) => c.accountId === account.accountId)!;
  await note(w, `${notePrefix(runDate)} ${account.name}`, {
    company: account.companyId,
    contact: contact.contactId,
  });
  const token = await gmailToken(w);
  const draftId = await draft(w, token, contact.email);
  await send(w, token, draftId);
  await lookup(w, account.domain);
  const run: RunWrites = {
    runDate,
    notedAccounts: new Set([account.companyId]),
    draftedRecipients: new Set([contact.email]),
    sentRecipients: new Set([contact.email]),
    sendCap: 20,
  };
  return {
    run,
    token,
    draftId,
    company: account.companyId,
    contact: contact.contactId,
    to: contact.email,
    domain: account.domain,
  };
}

const failing = async (w: World, run: RunWrites) =>
  checkExactlyOnce(await w.port.state(), run)
    .items.filter((i) => !i.passed)
    .map((i) => i.name);

describe("the check over the emulators' state, with a duplicate injected", () => {
  it("passes on the writes the run made, each once", async () => {
    const w = await world();
    const { run } = await runWrites(w);
    const state = await w.port.state();
    expect(state.sends).toHaveLength(1);
    expect(Object.values(state.enrichmentCredits)).toEqual([1]);
    expect(await failing(w, run)).toEqual([]);
  });

  it("fails on a second note of the run, on the company or on the contact only", async () => {
    const w = await world();
    const { run, company, contact } = await runWrites(w);
    await note(w, `${notePrefix(runDate)} again`, { contact });
    expect(await failing(w, run)).toEqual(["one note per account per occurrence"]);
    await note(w, `${notePrefix(runDate)} again`, { company });
    expect(await failing(w, run)).toEqual(["one note per account per occurrence"]);
  });

  it("fails on a second draft to the same recipient", async () => {
    const w = await world();
    const { run, token, to } = await runWrites(w);
    await draft(w, token, to);
    expect(await failing(w, run)).toEqual(["one draft per qualifying account"]);
  });

  it("fails on a second send to the same recipient", async () => {
    const w = await world();
    const { run, token, to } = await runWrites(w);
    await send(w, token, await draft(w, token, to));
    expect(await failing(w, run)).toEqual([
      "one draft per qualifying account",
      "one send per recipient per occurrence",
    ]);
  });

  it("fails on a second credit for the same domain", async () => {
    const w = await world();
    const { run, domain } = await runWrites(w);
    // A second lookup after the first answer was lost: allowed once, and no more.
    await lookup(w, domain);
    expect(await failing(w, run)).toEqual(["no enrichment credit spent twice on a domain"]);
    expect(await failing(w, { ...run, lostLookups: new Map([[domain, 1]]) })).toEqual([]);
  });
});
