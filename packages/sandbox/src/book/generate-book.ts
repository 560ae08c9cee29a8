import { createPrng, type Prng } from "../random/prng.js";
import type {
  Book,
  BookAccount,
  BookContact,
  BookEnrichment,
  BookMessage,
  BookOpportunity,
  BookUsageDay,
} from "./types.js";
import {
  FIRST_NAMES,
  INDUSTRIES,
  JOB_TITLES,
  LAST_NAMES,
  NAME_PARTS_A,
  NAME_PARTS_B,
  PLACES,
  STAGES_OPEN,
  SUBJECTS,
  TLDS,
} from "./vocabulary.js";

/** The seed used when none is given (`--seed`). */
export const DEFAULT_SEED = "gtm-sandbox-1";
/** Accounts in the default book. */
export const DEFAULT_ACCOUNTS = 4_000;
/** Days of PRODUCT_USAGE_DAILY per account. */
export const USAGE_DAYS = 90;
/** The seller whose mailbox the Gmail emulator serves. */
export const SELLER = "seller@gtm-sandbox.example";
/** The HubSpot portal the emulator answers for. */
export const PORTAL_ID = 24_681_357;

const OWNERS = Array.from({ length: 12 }, (_, i) => ({
  id: String(61_000 + i),
  email: `rep${String(i + 1).padStart(2, "0")}@gtm-sandbox.example`,
}));

/** Options of {@link generateBook}. */
export interface BookOptions {
  seed?: string;
  accounts?: number;
}

/**
 * Generates the book from a seed: the same seed and size give the same book, byte for byte
 * (see `bookHash`). Each part draws from its own forked source, so e.g. a change to the
 * mailbox rules leaves the accounts as they were.
 *
 * Shape: about one domain in 40 is shared by two companies; 2–3 contacts per account; 90 days
 * of usage; 0–3 opportunities; PDL knows ~88% of domains fully, ~7% partially, ~5% not at all;
 * ~35% of accounts have recent mail; ~2% of contacts are suppressed.
 */
export function generateBook(options: BookOptions = {}): Book {
  const seed = options.seed ?? DEFAULT_SEED;
  const size = options.accounts ?? DEFAULT_ACCOUNTS;
  const root = createPrng(seed);
  const accounts = generateAccounts(root.fork("accounts"), size);
  const contacts = generateContacts(root.fork("contacts"), accounts);
  return {
    seed,
    seller: SELLER,
    portalId: PORTAL_ID,
    accounts,
    contacts,
    usage: generateUsage(root.fork("usage"), accounts),
    opportunities: generateOpportunities(root.fork("opportunities"), accounts),
    enrichment: generateEnrichment(root.fork("enrichment"), accounts),
    mailbox: generateMailbox(root.fork("mailbox"), accounts, contacts),
    suppression: generateSuppression(root.fork("suppression"), contacts),
  };
}

function generateAccounts(rng: Prng, size: number): BookAccount[] {
  const accounts: BookAccount[] = [];
  const usedDomains = new Set<string>();
  for (let i = 0; i < size; i++) {
    const segment = rng.pick(["enterprise", "mid_market", "mid_market", "smb", "smb", "smb"] as const);
    const name = `${rng.pick(NAME_PARTS_A)} ${rng.pick(NAME_PARTS_B)} ${i + 1}`;
    const previous = accounts[accounts.length - 1];
    // A sister company under the same domain: HubSpot domains are not unique.
    const shared = previous !== undefined && i % 40 === 39;
    let domain = shared ? previous.domain : "";
    while (!shared && (domain === "" || usedDomains.has(domain))) {
      domain = `${name.toLowerCase().replace(/[^a-z0-9]+/g, "-")}.${rng.pick(TLDS)}`;
    }
    usedDomains.add(domain);
    const owner = rng.pick(OWNERS);
    const place = rng.pick(PLACES);
    const arrBase = segment === "enterprise" ? 250_000 : segment === "mid_market" ? 40_000 : 3_000;
    const arrCents = rng.int(arrBase * 100, arrBase * 400);
    accounts.push({
      accountId: `ACC-${String(i + 1).padStart(5, "0")}`,
      companyId: String(5_000_000_001 + i),
      name,
      domain,
      segment,
      arr: (arrCents / 100).toFixed(2),
      ownerEmail: owner.email,
      ownerId: owner.id,
      plan: segment === "enterprise" ? "enterprise" : rng.pick(["starter", "growth", "scale"] as const),
      industry: rng.pick(INDUSTRIES),
      city: place.city,
      country: place.country,
      employees:
        segment === "enterprise"
          ? rng.int(1_000, 50_000)
          : segment === "mid_market"
            ? rng.int(100, 999)
            : rng.int(5, 99),
      lifecycleStage: rng.pick(["lead", "opportunity", "customer", "customer", "evangelist"] as const),
      createdDaysAgo: rng.int(120, 1_500),
    });
  }
  return accounts;
}

function generateContacts(rng: Prng, accounts: BookAccount[]): BookContact[] {
  const contacts: BookContact[] = [];
  let next = 7_000_000_001;
  for (const account of accounts) {
    const count = rng.int(2, 3);
    const seen = new Set<string>();
    for (let k = 0; k < count; k++) {
      const firstName = rng.pick(FIRST_NAMES);
      const lastName = rng.pick(LAST_NAMES);
      let local = `${firstName}.${lastName}`.toLowerCase();
      if (seen.has(local)) local = `${local}${k}`;
      seen.add(local);
      contacts.push({
        contactId: String(next++),
        accountId: account.accountId,
        // Two companies sharing a domain get distinct addresses: the account id keeps them apart.
        email: `${local}.${account.accountId.slice(4)}@${account.domain}`,
        firstName,
        lastName,
        jobTitle: rng.pick(JOB_TITLES),
      });
    }
  }
  return contacts;
}

function generateUsage(rng: Prng, accounts: BookAccount[]): BookUsageDay[] {
  const rows: BookUsageDay[] = [];
  for (const account of accounts) {
    const seats =
      account.segment === "enterprise"
        ? rng.int(200, 2_000)
        : account.segment === "mid_market"
          ? rng.int(25, 199)
          : rng.int(3, 24);
    // A trend per account: some grow into their seats (expansion candidates), some fade.
    const start = rng.next() * 0.9 + 0.1;
    const end = Math.min(1.3, Math.max(0.02, start + (rng.next() - 0.45)));
    for (let daysAgo = USAGE_DAYS; daysAgo >= 1; daysAgo--) {
      const share = start + ((end - start) * (USAGE_DAYS - daysAgo)) / (USAGE_DAYS - 1);
      const activeUsers = Math.max(0, Math.round(seats * share * (0.85 + rng.next() * 0.3)));
      rows.push({
        accountId: account.accountId,
        daysAgo,
        activeUsers,
        events: activeUsers * rng.int(5, 60),
        seatsPurchased: seats,
      });
    }
  }
  return rows;
}

function generateOpportunities(rng: Prng, accounts: BookAccount[]): BookOpportunity[] {
  const rows: BookOpportunity[] = [];
  let next = 1;
  for (const account of accounts) {
    const count = rng.int(0, 3);
    for (let k = 0; k < count; k++) {
      const isClosed = rng.chance(0.55);
      const isWon = isClosed && rng.chance(0.45);
      const closeDaysAgo = isClosed ? rng.int(1, 400) : -rng.int(1, 180);
      rows.push({
        opportunityId: `OPP-${String(next++).padStart(6, "0")}`,
        accountId: account.accountId,
        ownerEmail: account.ownerEmail,
        stage: isClosed ? (isWon ? "closedwon" : "closedlost") : rng.pick(STAGES_OPEN),
        amount: (rng.int(1_000_00, Math.max(2_000_00, Math.round(Number(account.arr) * 60))) / 100).toFixed(
          2,
        ),
        closeDaysAgo,
        isClosed,
        isWon,
        createdDaysAgo: Math.max(closeDaysAgo, 0) + rng.int(20, 200),
      });
    }
  }
  return rows;
}

function generateEnrichment(rng: Prng, accounts: BookAccount[]): BookEnrichment[] {
  const records: BookEnrichment[] = [];
  const seen = new Set<string>();
  for (const account of accounts) {
    if (seen.has(account.domain)) continue;
    seen.add(account.domain);
    const roll = rng.next();
    if (roll < 0.05) continue;
    const partial = roll < 0.12;
    const place = PLACES.find((p) => p.city === account.city)!;
    const slug = account.domain.split(".")[0]!;
    const full = {
      id: `pdl-${slug}`,
      name: account.name.toLowerCase(),
      display_name: account.name,
      size: sizeBand(account.employees),
      employee_count: account.employees,
      founded: rng.int(1950, 2022),
      industry: account.industry.toLowerCase().replace(/_/g, " "),
      location: {
        name: `${place.city.toLowerCase()}, ${place.region.toLowerCase()}, ${place.country.toLowerCase()}`,
        locality: place.city.toLowerCase(),
        region: place.region.toLowerCase(),
        country: place.country.toLowerCase(),
        continent: place.continent,
      },
      linkedin_url: `linkedin.com/company/${slug}`,
      twitter_url: rng.chance(0.6) ? `twitter.com/${slug}` : null,
      facebook_url: null,
      website: account.domain,
      ticker: account.segment === "enterprise" && rng.chance(0.2) ? slug.slice(0, 4).toUpperCase() : null,
      type: account.segment === "enterprise" && rng.chance(0.3) ? "public" : "private",
      summary: `${account.name} builds ${account.industry.toLowerCase().replace(/_/g, " ")} products.`,
      tags: [account.industry.toLowerCase().split("_")[0]!, account.segment],
    };
    const record = partial
      ? {
          ...full,
          size: null,
          employee_count: null,
          founded: null,
          industry: null,
          summary: null,
          tags: [],
          linkedin_url: null,
        }
      : full;
    records.push({
      domain: account.domain,
      likelihood: partial ? rng.int(2, 6) : rng.int(6, 10),
      partial,
      record,
    });
  }
  return records;
}

function sizeBand(employees: number): string {
  const bands: Array<[number, string]> = [
    [10, "1-10"],
    [50, "11-50"],
    [200, "51-200"],
    [500, "201-500"],
    [1000, "501-1000"],
    [5000, "1001-5000"],
    [10000, "5001-10000"],
  ];
  return bands.find(([max]) => employees <= max)?.[1] ?? "10001+";
}

function generateMailbox(rng: Prng, accounts: BookAccount[], contacts: BookContact[]): BookMessage[] {
  const byAccount = new Map<string, BookContact[]>();
  for (const c of contacts) byAccount.set(c.accountId, [...(byAccount.get(c.accountId) ?? []), c]);
  const messages: BookMessage[] = [];
  let next = 1;
  for (const account of accounts) {
    if (!rng.chance(0.35)) continue;
    const people = byAccount.get(account.accountId) ?? [];
    const threads = rng.int(1, 2);
    for (let t = 0; t < threads; t++) {
      const contact = rng.pick(people);
      const threadId = hex16(rng);
      const subject = rng.pick(SUBJECTS);
      let daysAgo = rng.int(1, 75) + rng.next();
      const count = rng.int(1, 3);
      for (let m = 0; m < count; m++) {
        const outbound = rng.chance(0.6);
        const n = next++;
        messages.push({
          // Gmail names a thread after its first message.
          id: m === 0 ? threadId : hex16(rng),
          threadId,
          messageId: `seed-${n}.${account.accountId.toLowerCase()}@gtm-sandbox.example`,
          from: outbound ? SELLER : contact.email,
          to: outbound ? contact.email : SELLER,
          subject: m === 0 ? subject : `Re: ${subject}`,
          snippet: outbound
            ? `Hi ${contact.firstName}, ${subject.toLowerCase()}.`
            : `Thanks, let's talk next week.`,
          daysAgo: Math.round(daysAgo * 1000) / 1000,
          labelIds: outbound ? ["SENT"] : ["INBOX"],
        });
        daysAgo = Math.max(0.01, daysAgo - rng.next() * 3);
      }
    }
  }
  return messages;
}

function generateSuppression(rng: Prng, contacts: BookContact[]): string[] {
  return contacts.filter(() => rng.chance(0.02)).map((c) => c.email.toLowerCase());
}

function hex16(rng: Prng): string {
  let out = "1";
  for (let i = 0; i < 15; i++) out += "0123456789abcdef"[rng.int(0, 15)];
  return out;
}
