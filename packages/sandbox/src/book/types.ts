// The seeded book: one sales territory as every emulator sees it. Dates are stored as whole
// days before the book's anchor date (`daysAgo`), so the same seed gives the same book on any
// day while the emulators still serve "recent" data relative to when they start.

/** One company (a HubSpot company, a warehouse ACCOUNTS row). */
export interface BookAccount {
  /** Warehouse key, `ACC-00001`. */
  accountId: string;
  /** HubSpot company id (numeric text). */
  companyId: string;
  name: string;
  /** Lower-case domain; a few are shared by two companies. */
  domain: string;
  segment: "enterprise" | "mid_market" | "smb";
  /** Annual recurring revenue, decimal text with 2 places. */
  arr: string;
  ownerEmail: string;
  /** HubSpot owner id (numeric text). */
  ownerId: string;
  plan: "starter" | "growth" | "scale" | "enterprise";
  industry: string;
  city: string;
  country: string;
  employees: number;
  lifecycleStage: "lead" | "opportunity" | "customer" | "evangelist";
  createdDaysAgo: number;
}

/** One person at an account (a HubSpot contact). */
export interface BookContact {
  contactId: string;
  accountId: string;
  email: string;
  firstName: string;
  lastName: string;
  jobTitle: string;
}

/** One row of PRODUCT_USAGE_DAILY. */
export interface BookUsageDay {
  accountId: string;
  daysAgo: number;
  activeUsers: number;
  events: number;
  seatsPurchased: number;
}

/** One row of OPPORTUNITIES. */
export interface BookOpportunity {
  opportunityId: string;
  accountId: string;
  ownerEmail: string;
  stage: string;
  /** Decimal text with 2 places. */
  amount: string;
  /** Negative: closes in the future. */
  closeDaysAgo: number;
  isClosed: boolean;
  isWon: boolean;
  createdDaysAgo: number;
}

/** What People Data Labs knows about one domain; absent domains answer 404. */
export interface BookEnrichment {
  domain: string;
  /** 1–10: how sure PDL is of the match. */
  likelihood: number;
  /** Partial records have nulls where a full one has data. */
  partial: boolean;
  record: Record<string, unknown>;
}

/** One message already in the seller's mailbox. */
export interface BookMessage {
  id: string;
  threadId: string;
  /** RFC 5322 Message-ID, without angle brackets. */
  messageId: string;
  from: string;
  to: string;
  subject: string;
  snippet: string;
  /** Whole days plus a fraction before the anchor. */
  daysAgo: number;
  labelIds: string[];
}

/** The whole seeded book. */
export interface Book {
  seed: string;
  /** The mailbox owner (the seller the Gmail emulator authenticates as). */
  seller: string;
  portalId: number;
  accounts: BookAccount[];
  contacts: BookContact[];
  usage: BookUsageDay[];
  opportunities: BookOpportunity[];
  enrichment: BookEnrichment[];
  mailbox: BookMessage[];
  /** Addresses that must never receive outreach (lower case). */
  suppression: string[];
}
