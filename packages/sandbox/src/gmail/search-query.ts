import { addressesOf } from "./rfc822.js";

/** A message as search sees it. */
export interface Searchable {
  from: string;
  to: string;
  cc: string;
  subject: string;
  snippet: string;
  messageId: string;
  labelIds: string[];
  internalDate: number;
}

type Atom = (m: Searchable, nowMs: number) => boolean;

/**
 * Compiles the subset of Gmail's search syntax the email server uses: `from:`, `to:` (also
 * `cc:`), `newer_than:`/`older_than:` (`d`, `m`, `y`, `h`), `in:sent|inbox|drafts`, `is:draft`,
 * `label:`, `rfc822msgid:`, `subject:`, bare words, `-` negation and `OR`. Terms are ANDed;
 * `OR` joins its neighbours first (`from:a OR to:a newer_than:30d` = (from OR to) AND newer),
 * and parentheses are only grouping marks.
 *
 * @throws Error for an operator outside the subset (Gmail would accept it; the emulator says so).
 */
export function compileQuery(q: string): (m: Searchable, nowMs: number) => boolean {
  const tokens = (q.match(/-?\w+:"[^"]*"|-?\w+:\S+|"[^"]*"|\S+/g) ?? [])
    .map((t) => t.replace(/^\(+|\)+$/g, "").trim())
    .filter((t) => t !== "");
  const groups: Atom[][] = [];
  let joinNext = false;
  for (const token of tokens) {
    if (token === "OR") {
      joinNext = true;
      continue;
    }
    const atom = compileAtom(token);
    const last = groups[groups.length - 1];
    if (joinNext && last) last.push(atom);
    else groups.push([atom]);
    joinNext = false;
  }
  return (m, now) => groups.every((group) => group.some((atom) => atom(m, now)));
}

function compileAtom(token: string): Atom {
  const negated = token.startsWith("-") && token.length > 1;
  const atom = positiveAtom(negated ? token.slice(1) : token);
  return negated ? (m, now) => !atom(m, now) : atom;
}

function positiveAtom(token: string): Atom {
  const colon = token.indexOf(":");
  const key = colon > 0 ? token.slice(0, colon).toLowerCase() : "";
  const value = (colon > 0 ? token.slice(colon + 1) : token).replace(/^"|"$/g, "").toLowerCase();
  switch (key) {
    case "from":
      return (m) => matchAddress(m.from, value);
    case "to":
      return (m) => matchAddress(m.to, value) || matchAddress(m.cc, value);
    case "cc":
      return (m) => matchAddress(m.cc, value);
    case "newer_than":
    case "older_than": {
      const ms = durationMs(value);
      return key === "newer_than"
        ? (m, now) => m.internalDate > now - ms
        : (m, now) => m.internalDate <= now - ms;
    }
    case "in":
    case "label":
    case "is": {
      const label = value === "draft" || value === "drafts" ? "DRAFT" : value.toUpperCase();
      return (m) => m.labelIds.includes(label);
    }
    case "rfc822msgid": {
      const id = value.replace(/^<|>$/g, "");
      return (m) => m.messageId.toLowerCase() === id;
    }
    case "subject":
      return (m) => m.subject.toLowerCase().includes(value);
    case "":
      return (m) => `${m.subject} ${m.snippet} ${m.from} ${m.to}`.toLowerCase().includes(value);
    default:
      throw new Error(`search operator ${key}: is not emulated`);
  }
}

/**
 * Parsed address headers: every `from:`/`to:` search scans the whole mailbox, and parsing each
 * header with a regex on every scan made the emulator, not the servers, the cost of a book
 * run. Headers are immutable strings, so a cache by value is exact; it is cleared when large.
 */
const parsedHeaders = new Map<string, readonly string[]>();
const PARSED_HEADERS_MAX = 100_000;

function addressesCached(header: string): readonly string[] {
  let addresses = parsedHeaders.get(header);
  if (addresses === undefined) {
    if (parsedHeaders.size >= PARSED_HEADERS_MAX) parsedHeaders.clear();
    addresses = addressesOf(header);
    parsedHeaders.set(header, addresses);
  }
  return addresses;
}

function matchAddress(header: string, value: string): boolean {
  const addresses = addressesCached(header);
  return value.includes("@") ? addresses.includes(value) : addresses.some((a) => a.includes(value));
}

function durationMs(value: string): number {
  const match = /^(\d+)([dmyh])$/.exec(value);
  if (!match) throw new Error(`newer_than/older_than takes a number and d, m, y or h, got ${value}`);
  const units = { h: 3_600_000, d: 86_400_000, m: 30 * 86_400_000, y: 365 * 86_400_000 };
  return Number(match[1]) * units[match[2] as keyof typeof units];
}
