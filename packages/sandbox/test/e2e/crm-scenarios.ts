import { expect } from "vitest";
import type { Sandbox } from "../../src/index.js";
import type { SpawnedServer } from "./spawn-server.js";

// The crm server's end-to-end scenarios against the HubSpot emulator, one HubSpot API version
// at a time. crm.int.test.ts runs them on every version; the published-contract check runs
// the same ones through a recording proxy and validates every exchange.

/** What a scenario runs against. */
export interface CrmScenarioContext {
  sandbox: Sandbox;
  crm: SpawnedServer;
  /** `HUBSPOT_API_VERSION` of the spawned server. */
  version: string;
}

/** One scenario. */
export interface CrmScenario {
  name: string;
  run(ctx: CrmScenarioContext): Promise<void>;
}

type HubSpotState = { notes: Array<{ id: string; companyIds: string[]; body: string }> };

/** Sets the account's validation rules on the emulator (an empty list clears them). */
async function setValidationRules(sandbox: Sandbox, rules: unknown[]): Promise<void> {
  const answer = await fetch(`${sandbox.urls.hubspot}/_sandbox/validation-rules`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ rules }),
  });
  expect(answer.status).toBe(200);
}

/** The scenarios, in order (later ones read what earlier ones wrote). */
export const crmScenarios: CrmScenario[] = [
  {
    name: "reads an account, reports a domain shared by two companies as ambiguous, and a missing one as NOT_FOUND",
    async run({ sandbox, crm }) {
      const account = sandbox.book.accounts[0]!;
      const read = await crm.call("get_account", { account_id: account.companyId });
      expect(read.error).toBeUndefined();
      expect(JSON.stringify(read.data)).toContain(account.domain);
      const shared = sandbox.book.accounts.find(
        (a, i, all) => all.findIndex((b) => b.domain === a.domain) !== i,
      )!;
      const ambiguous = await crm.call("get_account", { domain: shared.domain });
      expect(ambiguous.data).toMatchObject({ account: null, ambiguous: true });
      expect(ambiguous.data!.matches).toHaveLength(2);
      const missing = await crm.call("get_account", { account_id: "1" });
      expect(missing.error).toMatchObject({ code: "NOT_FOUND" });
    },
  },
  {
    name: "searches accounts by name and pages with the cursor",
    async run({ crm }) {
      type Page = { accounts: Array<{ id: string }>; next_cursor: string | null };
      const first = await crm.call("search_accounts", { limit: 5 });
      expect(first.error).toBeUndefined();
      const page = first.data as Page;
      expect(page.accounts).toHaveLength(5);
      expect(page.next_cursor).toEqual(expect.any(String));
      const second = await crm.call("search_accounts", { limit: 5, cursor: page.next_cursor });
      expect((second.data as Page).accounts[0]!.id).not.toBe(page.accounts[0]!.id);
    },
  },
  {
    name: "finds a contact by email, upserts a lead associated with its account, and updates an account",
    async run({ sandbox, crm, version }) {
      const contact = sandbox.book.contacts[0]!;
      const found = await crm.call("get_contact", { email: contact.email });
      expect(found.error).toBeUndefined();
      expect(found.data).toMatchObject({ contact: { id: contact.contactId } });
      const account = sandbox.book.accounts[2]!;
      const lead = await crm.call("upsert_lead", {
        email: `lead.${version}@example.org`,
        first_name: "Grace",
        account_id: account.companyId,
      });
      expect(lead.error).toBeUndefined();
      expect(lead.data).toMatchObject({ created: true, associated_account_id: account.companyId });
      const updated = await crm.call("update_account_fields", {
        account_id: account.companyId,
        fields: { city: "Lisbon" },
      });
      expect(updated.error).toBeUndefined();
      expect(updated.data).toMatchObject({ account: { city: "Lisbon" } });
    },
  },
  {
    name: "reconciles a note whose create was committed and then dropped: one note, found by its marker",
    async run({ sandbox, crm }) {
      const account = sandbox.book.accounts[10]!;
      const args = {
        account_id: account.companyId,
        body: "Quarterly check-in: usage is up.",
        timestamp: "2026-11-20T15:30:00Z",
        occurrence: "2026-11-20",
      };
      await sandbox.admin.setFaults("hubspot", { commitThenDrop: { rate: 1, operations: ["notes.create"] } });
      const lost = await crm.call("log_activity_note", args);
      expect(lost.error).toMatchObject({ retryable: true, sideEffect: "unknown" });
      await sandbox.admin.setFaults("hubspot", {});
      const notesOf = async () =>
        (await sandbox.admin.state<HubSpotState>("hubspot")).notes.filter((n) =>
          n.companyIds.includes(account.companyId),
        );
      expect(await notesOf()).toHaveLength(1);

      const again = await crm.call("log_activity_note", args);
      expect(again.error).toBeUndefined();
      const [stored] = await notesOf();
      expect(again.data).toMatchObject({ note_id: stored!.id, replayed: true });
      expect(stored!.body).toMatch(/\[gtm-mcp ref [0-9a-f]{24}\]$/);

      const third = await crm.call("log_activity_note", args);
      expect(third.data).toMatchObject({ note_id: stored!.id, replayed: true });
      expect(await notesOf()).toHaveLength(1);
      expect((await sandbox.admin.faults()).hubspot?.injected.commit_then_drop).toBe(1);
    },
  },
  {
    name: "lists the account's activity including the note just written, and none for an account without notes",
    async run({ sandbox, crm }) {
      const account = sandbox.book.accounts[10]!;
      const activity = await crm.call("list_account_activity", { account_id: account.companyId });
      expect(activity.error).toBeUndefined();
      expect(JSON.stringify(activity.data)).toContain("Quarterly check-in");
      const quiet = await crm.call("list_account_activity", {
        account_id: sandbox.book.accounts[12]!.companyId,
      });
      expect(quiet.error).toBeUndefined();
    },
  },
  {
    name: "a write refused by the account's validation rule is a terminal INVALID_INPUT naming the property from 2026-09, and goes through on 2026-03",
    async run({ sandbox, crm, version }) {
      const letters = { pattern: "^\\p{L}*$", code: "INVALID_ALPHA" };
      await setValidationRules(sandbox, [
        { objectType: "contacts", property: "firstname", message: "Enter only letters", ...letters },
        { objectType: "companies", property: "city", message: "A city holds letters only", ...letters },
      ]);
      try {
        const lead = await crm.call("upsert_lead", {
          email: `rule.${version}@example.org`,
          first_name: "Ada2",
        });
        const update = await crm.call("update_account_fields", {
          account_id: sandbox.book.accounts[3]!.companyId,
          fields: { city: "Paris 75" },
        });
        if (version >= "2026-09") {
          expect(lead.error).toMatchObject({
            code: "INVALID_INPUT",
            field: "firstname",
            retryable: false,
            message: "HubSpot refused firstname: Enter only letters (a validation rule of the account)",
          });
          expect(update.error).toMatchObject({
            code: "INVALID_INPUT",
            field: "city",
            retryable: false,
            message: "HubSpot refused city: A city holds letters only (a validation rule of the account)",
          });
          expect(JSON.stringify([lead.error, update.error])).not.toContain("isValid");
        } else {
          expect(lead.error).toBeUndefined();
          expect(update.error).toBeUndefined();
        }
      } finally {
        await setValidationRules(sandbox, []);
      }
    },
  },
];
