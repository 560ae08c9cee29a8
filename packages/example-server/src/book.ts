/** An account in the example book. */
export interface Account {
  id: string;
  name: string;
  domain: string;
  tags: string[];
}

/** Where the example server keeps accounts: in memory, or whatever a test injects. */
export interface AccountBook {
  find(id: string): Promise<Account | undefined>;
  addTag(id: string, tag: string): Promise<Account>;
}

/** A small in-memory book with a few seeded accounts. */
export function createMemoryBook(seed: Account[] = SEED): AccountBook {
  const accounts = new Map(seed.map((a) => [a.id, { ...a, tags: [...a.tags] }]));
  return {
    async find(id) {
      const account = accounts.get(id);
      return account && { ...account, tags: [...account.tags] };
    },
    async addTag(id, tag) {
      const account = accounts.get(id);
      if (!account) throw new Error(`no account ${id}`);
      if (!account.tags.includes(tag)) account.tags.push(tag);
      return { ...account, tags: [...account.tags] };
    },
  };
}

const SEED: Account[] = [
  { id: "1001", name: "Acme Corp", domain: "acme.com", tags: ["customer"] },
  { id: "1002", name: "Globex", domain: "globex.com", tags: [] },
  { id: "1003", name: "Initech", domain: "initech.com", tags: ["prospect"] },
];
