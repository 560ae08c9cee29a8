import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PdlAdminState, type Sandbox, startSandbox } from "../../src/index.js";
import { type SpawnedServer, spawnServer } from "./spawn-server.js";

// The built enrichment server, spawned over stdio, against the People Data Labs emulator.

let sandbox: Sandbox;
let enrichment: SpawnedServer;

beforeAll(async () => {
  sandbox = await startSandbox({ accounts: 200, vendors: ["pdl"], ports: { pdl: 0 } });
  enrichment = await spawnServer("enrichment", sandbox.env);
});
afterAll(async () => {
  await enrichment?.close();
  await sandbox?.stop();
});

const pdlState = () => sandbox.admin.state<PdlAdminState>("pdl");

describe("enrichment server against the PDL emulator", () => {
  it("returns a full record's signals, and buys the company once however often it is asked", async () => {
    const known = sandbox.book.enrichment.find((e) => !e.partial && e.likelihood >= 5)!;
    const first = await enrichment.call("get_account_signals", {
      domain: `https://www.${known.domain}/about`,
    });
    expect(first.error).toBeUndefined();
    expect(first.data).toMatchObject({
      domain: known.domain,
      employee_count: known.record.employee_count,
      cached: false,
    });
    const again = await enrichment.call("get_account_signals", { domain: known.domain });
    expect(again.data).toMatchObject({ domain: known.domain, cached: true });
    expect((await pdlState()).creditsByDomain[known.domain]).toBe(1);
  });

  it("keeps a partial record's gaps as null, and answers an unknown company NOT_FOUND without a credit", async () => {
    const partial = sandbox.book.enrichment.find((e) => e.partial && e.likelihood >= 2)!;
    const answer = await enrichment.call("get_account_signals", { domain: partial.domain });
    expect(answer.error).toBeUndefined();
    expect(answer.data).toMatchObject({ employee_count: null, industry: null, summary: null });
    const known = new Set(sandbox.book.enrichment.map((e) => e.domain));
    const missing = sandbox.book.accounts.find((a) => !known.has(a.domain))!;
    const spent = (await pdlState()).creditsSpent;
    const notFound = await enrichment.call("get_account_signals", { domain: missing.domain });
    expect(notFound.error).toMatchObject({ code: "NOT_FOUND" });
    expect((await pdlState()).creditsSpent).toBe(spent);
  });

  it("tells an outage (retryable) from a missing company", async () => {
    await sandbox.admin.setFaults("pdl", { outage: true });
    const fresh = sandbox.book.enrichment.find(
      (e) => !e.partial && e.domain !== sandbox.book.enrichment[0]!.domain && e.likelihood >= 5,
    )!;
    const down = await enrichment.call("get_account_signals", { domain: fresh.domain });
    await sandbox.admin.setFaults("pdl", {});
    expect(down.error).toMatchObject({ code: "UPSTREAM_UNAVAILABLE", retryable: true });
  });
});
