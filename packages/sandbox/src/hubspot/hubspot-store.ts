import type { Book } from "../book/types.js";

/** One stored CRM record. */
export interface StoredRecord {
  id: string;
  properties: Record<string, string | null>;
  createdAt: string;
  updatedAt: string;
}

/** A note as the admin API shows it. */
export interface StoredNote extends StoredRecord {
  companyIds: string[];
  contactIds: string[];
}

/** The emulated portal: what HubSpot holds, and the writes made to it. */
export class HubSpotStore {
  readonly companies = new Map<string, StoredRecord>();
  readonly contacts = new Map<string, StoredRecord>();
  readonly notes = new Map<string, StoredNote>();
  readonly contactByEmail = new Map<string, string>();
  /** company id → contact ids (associations). */
  readonly companyContacts = new Map<string, Set<string>>();
  /** contact id → company ids. */
  readonly contactCompanies = new Map<string, Set<string>>();
  /** company id → note ids. */
  readonly companyNotes = new Map<string, Set<string>>();
  readonly upserts: Array<{ email: string; id: string; created: boolean; at: string }> = [];
  readonly companyUpdates: Array<{ id: string; properties: Record<string, string>; at: string }> = [];
  readonly associationWrites: Array<{ from: string; to: string; at: string }> = [];
  readonly calls: Record<string, number> = {};
  private nextNoteId = 90_000_000_001;
  private nextContactId = 8_000_000_001;

  constructor(
    book: Book,
    readonly anchorMs: number,
  ) {
    const iso = (daysAgo: number) => new Date(anchorMs - daysAgo * 86_400_000).toISOString();
    for (const a of book.accounts) {
      this.companies.set(a.companyId, {
        id: a.companyId,
        properties: {
          name: a.name,
          domain: a.domain,
          industry: a.industry,
          lifecyclestage: a.lifecycleStage,
          hubspot_owner_id: a.ownerId,
          city: a.city,
          country: a.country,
          numberofemployees: String(a.employees),
          annualrevenue: a.arr,
          website: `https://${a.domain}`,
          type: "PROSPECT",
          createdate: iso(a.createdDaysAgo),
          hs_lastmodifieddate: iso(a.createdDaysAgo % 30),
          hs_object_id: a.companyId,
        },
        createdAt: iso(a.createdDaysAgo),
        updatedAt: iso(a.createdDaysAgo % 30),
      });
    }
    const companyOf = new Map(book.accounts.map((a) => [a.accountId, a.companyId]));
    for (const c of book.contacts) {
      const created = iso(40);
      this.contacts.set(c.contactId, {
        id: c.contactId,
        properties: {
          email: c.email,
          firstname: c.firstName,
          lastname: c.lastName,
          jobtitle: c.jobTitle,
          phone: null,
          lifecyclestage: "lead",
          hs_lead_status: "OPEN",
          createdate: created,
          lastmodifieddate: created,
          hs_object_id: c.contactId,
        },
        createdAt: created,
        updatedAt: created,
      });
      this.contactByEmail.set(c.email.toLowerCase(), c.contactId);
      this.associate(c.contactId, companyOf.get(c.accountId)!);
    }
  }

  /** Links a contact and a company both ways (idempotent). */
  associate(contactId: string, companyId: string): void {
    setOf(this.companyContacts, companyId).add(contactId);
    setOf(this.contactCompanies, contactId).add(companyId);
  }

  /** Stores a new note and its associations; returns it. */
  addNote(
    properties: Record<string, string | null>,
    companyIds: string[],
    contactIds: string[],
    at: string,
  ): StoredNote {
    const id = String(this.nextNoteId++);
    const note: StoredNote = {
      id,
      properties: { ...properties, hs_object_id: id, hs_createdate: at, hs_lastmodifieddate: at },
      createdAt: at,
      updatedAt: at,
      companyIds,
      contactIds,
    };
    this.notes.set(id, note);
    for (const companyId of companyIds) setOf(this.companyNotes, companyId).add(id);
    return note;
  }

  /** A new contact id. */
  newContactId(): string {
    return String(this.nextContactId++);
  }

  count(operation: string): void {
    this.calls[operation] = (this.calls[operation] ?? 0) + 1;
  }
}

function setOf(map: Map<string, Set<string>>, key: string): Set<string> {
  const found = map.get(key);
  if (found) return found;
  const created = new Set<string>();
  map.set(key, created);
  return created;
}
