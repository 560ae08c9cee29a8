import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateBook } from "../../src/book/generate-book.js";
import { WarehouseEngine } from "../../src/snowflake/warehouse-engine.js";

describe("WarehouseEngine connections", () => {
  let engine: WarehouseEngine;
  const book = generateBook({ seed: "engine-1", accounts: 20 });

  beforeAll(async () => {
    engine = await WarehouseEngine.open(book, Date.UTC(2026, 10, 29));
  });
  afterAll(() => engine?.close());

  const nameOf = async (accountId: string, connection: Awaited<ReturnType<WarehouseEngine["connect"]>>) => {
    const result = await engine.run(
      connection,
      "SELECT NAME FROM ACCOUNTS WHERE ACCOUNT_ID = ?",
      [accountId],
      [],
    );
    return result.rows[0]?.[0];
  };

  it("reuses a connection whose statement ran to its end, binding each run afresh", async () => {
    const [a, b] = book.accounts;
    const first = await engine.connect();
    expect(await nameOf(a!.accountId, first)).toBe(a!.name);
    engine.release(first, true);
    const second = await engine.connect();
    expect(second).toBe(first);
    // The same SQL, prepared once on this connection, answers for the new binding.
    expect(await nameOf(b!.accountId, second)).toBe(b!.name);
    engine.release(second, true);
  });

  it("closes a connection that was interrupted or failed instead of handing it out again", async () => {
    const used = await engine.connect();
    engine.release(used, false);
    const next = await engine.connect();
    expect(next).not.toBe(used);
    expect(await nameOf(book.accounts[2]!.accountId, next)).toBe(book.accounts[2]!.name);
    engine.release(next, true);
  });
});
