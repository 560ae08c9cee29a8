import { describe, expect, it } from "vitest";
import { bookHash } from "../../src/book/book-hash.js";
import { generateBook } from "../../src/book/generate-book.js";

// The hash of `generateBook()` (seed "gtm-sandbox-1", 4,000 accounts), also printed by `pnpm sandbox`.
const DEFAULT_BOOK_HASH = "afb15e5d81df5127108b6ab4fa36768071f8290dc6943a2bf4baf6347371701b";

describe("the seeded book", () => {
  it("is the same byte for byte from the same seed, and differs from another seed", () => {
    const first = generateBook({ seed: "determinism", accounts: 500 });
    const second = generateBook({ seed: "determinism", accounts: 500 });
    const other = generateBook({ seed: "determinism-2", accounts: 500 });
    expect(bookHash(first)).toBe(bookHash(second));
    expect(JSON.stringify(first)).toBe(JSON.stringify(second));
    expect(bookHash(other)).not.toBe(bookHash(first));
  });

  it("has the default shape: 4,000 accounts, shared domains, missing and partial enrichment, mail, suppression", () => {
    const book = generateBook();
    expect(book.accounts).toHaveLength(4_000);
    const byDomain = new Map<string, number>();
    for (const a of book.accounts) byDomain.set(a.domain, (byDomain.get(a.domain) ?? 0) + 1);
    const shared = [...byDomain.values()].filter((n) => n === 2).length;
    expect(shared).toBeGreaterThan(50);
    expect([...byDomain.values()].every((n) => n <= 2)).toBe(true);
    expect(new Set(book.contacts.map((c) => c.email)).size).toBe(book.contacts.length);
    const missing = byDomain.size - book.enrichment.length;
    expect(missing).toBeGreaterThan(100);
    expect(book.enrichment.filter((e) => e.partial).length).toBeGreaterThan(100);
    expect(book.usage).toHaveLength(4_000 * 90);
    expect(book.opportunities.length).toBeGreaterThan(3_000);
    expect(book.mailbox.length).toBeGreaterThan(1_000);
    expect(book.suppression.length).toBeGreaterThan(50);
  });

  it("keeps the default book pinned: a change to the generator is deliberate", () => {
    expect(bookHash(generateBook())).toBe(DEFAULT_BOOK_HASH);
  });
});
