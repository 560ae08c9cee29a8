import type {
  BookAccount,
  GmailAdminState,
  HubSpotAdminState,
  PdlAdminState,
  Sandbox,
  VendorName,
} from "@gtm-mcp/sandbox";
import type { ServerName, ServerPool } from "./server-pool.js";
import { settleCall } from "./settle-call.js";

/** The tools whose effects the matrix counts. */
export type ToolName =
  | "log_activity_note"
  | "upsert_lead"
  | "update_account_fields"
  | "create_outreach_draft"
  | "send_draft"
  | "get_account_signals";

/** What a cell writes to and how its effect is found again at the vendor. */
export interface Subject {
  args: Record<string, unknown>;
  /** The record the effect is counted on (company id, email, draft id, domain). */
  target: string;
  /** The draft's recipient (email tools): a person acting between attempts looks it up by it. */
  recipient?: string;
}

/** Everything a spec needs to pick a subject and count effects. */
export interface MatrixWorld {
  sandbox: Sandbox;
  pool: ServerPool;
  /** Hands out each book account once, so no two cells share a record. */
  nextAccount(accept: (account: BookAccount) => boolean): BookAccount;
}

/** One write of the matrix: the tool, the vendor operation it acts with, and its effect count. */
export interface WriteSpec {
  tool: ToolName;
  server: ServerName;
  vendor: Exclude<VendorName, "snowflake">;
  /** The emulator operation that is the side effect. */
  operation: string;
  /** The same request as the proxy sees it. */
  method: string;
  path: RegExp;
  /** The tool's deadline (its definition's `deadlineMs`). */
  deadlineMs: number;
  /** A credit (a paid lookup answered twice may be charged twice), not a write. */
  credit: boolean;
  subject(world: MatrixWorld, label: string): Promise<Subject>;
  /** Effects at the vendor on the subject's record. */
  effects(world: MatrixWorld, subject: Subject): Promise<number>;
}

const hubspot = (world: MatrixWorld) => world.sandbox.admin.state<HubSpotAdminState>("hubspot");
const gmail = (world: MatrixWorld) => world.sandbox.admin.state<GmailAdminState>("gmail");
const pdl = (world: MatrixWorld) => world.sandbox.admin.state<PdlAdminState>("pdl");

/** A domain only one account has (a shared one would mix two cells' effects). */
function ownDomain(world: MatrixWorld, account: BookAccount): boolean {
  return world.sandbox.book.accounts.filter((a) => a.domain === account.domain).length === 1;
}

/** The first contact of the account that is not suppressed. */
function reachable(world: MatrixWorld, account: BookAccount): string | undefined {
  const { contacts, suppression } = world.sandbox.book;
  return contacts.find((c) => c.accountId === account.accountId && !suppression.includes(c.email))?.email;
}

function draftArgs(to: string, domain: string, label: string): Record<string, unknown> {
  return {
    to,
    account_domain: domain,
    subject: `Fault matrix ${label}`,
    body: `Hi, this is the ${label} cell of the fault matrix.`,
    occurrence: "fault-matrix",
  };
}

/** The six writes: crm's three, email's two (sends on), enrichment's paid lookup. */
export const WRITE_SPECS: readonly WriteSpec[] = [
  {
    tool: "log_activity_note",
    server: "crm",
    vendor: "hubspot",
    operation: "notes.create",
    method: "POST",
    path: /^\/crm\/v3\/objects\/notes$/,
    deadlineMs: 15_000,
    credit: false,
    async subject(world, label) {
      const account = world.nextAccount((a) => ownDomain(world, a));
      return {
        target: account.companyId,
        args: {
          account_id: account.companyId,
          body: `Fault matrix: ${label}.`,
          timestamp: "2026-11-20T15:30:00Z",
          occurrence: "fault-matrix",
        },
      };
    },
    async effects(world, subject) {
      return (await hubspot(world)).notes.filter((n) => n.companyIds.includes(subject.target)).length;
    },
  },
  {
    tool: "upsert_lead",
    server: "crm",
    vendor: "hubspot",
    operation: "contacts.upsert",
    method: "POST",
    path: /^\/crm\/v3\/objects\/contacts\/batch\/upsert$/,
    deadlineMs: 8_000,
    credit: false,
    async subject(world, label) {
      const account = world.nextAccount((a) => ownDomain(world, a));
      const email = `fault-matrix-${label.replace(/[^a-z0-9]+/gi, "-").toLowerCase()}@${account.domain}`;
      return { target: email, args: { email, first_name: "Fault", last_name: "Matrix", job_title: label } };
    },
    // An upsert converges (the tool re-executes it when the outcome is unknown): its effect is
    // the contact, so the count is of distinct contacts the email's upserts made or updated.
    async effects(world, subject) {
      const upserts = (await hubspot(world)).upserts.filter((u) => u.email === subject.target);
      return new Set(upserts.map((u) => u.id)).size;
    },
  },
  {
    tool: "update_account_fields",
    server: "crm",
    vendor: "hubspot",
    operation: "companies.update",
    method: "PATCH",
    path: /^\/crm\/v3\/objects\/companies\/\d+$/,
    deadlineMs: 8_000,
    credit: false,
    async subject(world, label) {
      const account = world.nextAccount((a) => ownDomain(world, a));
      return {
        target: account.companyId,
        args: { account_id: account.companyId, fields: { description: `Fault matrix: ${label}` } },
      };
    },
    // Setting the same values again converges (the tool re-executes it when the outcome is
    // unknown): the count is of distinct value sets written, each repeat writing the same one.
    async effects(world, subject) {
      const updates = (await hubspot(world)).companyUpdates.filter((u) => u.id === subject.target);
      return new Set(updates.map((u) => JSON.stringify(u.properties))).size;
    },
  },
  {
    tool: "create_outreach_draft",
    server: "email",
    vendor: "gmail",
    operation: "drafts.create",
    method: "POST",
    path: /\/drafts$/,
    deadlineMs: 8_000,
    credit: false,
    async subject(world, label) {
      const account = world.nextAccount((a) => ownDomain(world, a) && reachable(world, a) !== undefined);
      const to = reachable(world, account)!;
      return { target: to, recipient: to, args: draftArgs(to, account.domain, label) };
    },
    async effects(world, subject) {
      return (await gmail(world)).drafts.filter((d) => d.to.includes(subject.target)).length;
    },
  },
  {
    tool: "send_draft",
    server: "email",
    vendor: "gmail",
    operation: "drafts.send",
    method: "POST",
    path: /\/drafts\/send$/,
    deadlineMs: 20_000,
    credit: false,
    // The draft to send is made first, without faults, through the tool itself.
    async subject(world, label) {
      const account = world.nextAccount((a) => ownDomain(world, a) && reachable(world, a) !== undefined);
      const to = reachable(world, account)!;
      const email = world.pool.process("email", 0);
      const made = await settleCall(
        () => email,
        "create_outreach_draft",
        draftArgs(to, account.domain, label),
      );
      const drafts = (await gmail(world)).drafts.filter((d) => d.to.includes(to));
      if (made.at(-1)?.answer !== "ok" || drafts.length !== 1)
        throw new Error(`could not make the draft to send for ${label}: ${JSON.stringify(made)}`);
      return { target: drafts[0]!.draftId, recipient: to, args: { draft_id: drafts[0]!.draftId } };
    },
    async effects(world, subject) {
      return (await gmail(world)).sends.filter((s) => s.draftId === subject.target).length;
    },
  },
  {
    tool: "get_account_signals",
    server: "enrichment",
    vendor: "pdl",
    operation: "company.enrich",
    method: "GET",
    path: /^\/v5\/company\/enrich$/,
    deadlineMs: 12_000,
    credit: true,
    async subject(world) {
      const found = new Set(world.sandbox.book.enrichment.filter((e) => !e.partial).map((e) => e.domain));
      const account = world.nextAccount((a) => ownDomain(world, a) && found.has(a.domain));
      return { target: account.domain, args: { domain: account.domain } };
    },
    async effects(world, subject) {
      return (await pdl(world)).creditsByDomain[subject.target] ?? 0;
    },
  },
];
