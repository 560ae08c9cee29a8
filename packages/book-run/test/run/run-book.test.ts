import { describe, expect, it } from "vitest";
import { checkExactlyOnce } from "../../src/check/exactly-once.js";
import { type BookOutcome, runBook } from "../../src/run/run-book.js";
import { RunStats } from "../../src/stats/run-stats.js";
import { type FakeFaults, FakeWorld, fakeBook } from "./fake-world.js";

const runDate = "2026-11-29";
const clock = { sleep: async () => {}, random: () => 0.5 };

async function run(world: FakeWorld, n: number, workers = 8) {
  const stats = new RunStats(n, () => 0);
  const book = [...world.accounts.values()].map(({ accountId, domain, contactEmail }) => ({
    accountId,
    domain,
    contactEmail,
  }));
  const outcome = await runBook({ book, caller: world, stats, clock, now: () => 0, runDate, workers });
  return { stats, outcome };
}

const check = (world: FakeWorld, o: BookOutcome, before?: FakeWorld["state"]) =>
  checkExactlyOnce(
    world.state,
    {
      runDate,
      notedAccounts: o.tally.notedAccounts,
      draftedRecipients: o.tally.draftedRecipients,
      sendCap: 20,
    },
    before,
  );

const snapshot = (w: FakeWorld) => structuredClone(w.state);
const chaos: FakeFaults = {
  rateLimit: 0.05,
  commitThenDrop: 0.1,
  connectionLost: 0.03,
  enrichmentOutage: [40, 70],
};

describe("runBook over the fake servers", () => {
  it("with no faults, writes one note per account and one draft per qualifying account", async () => {
    const world = new FakeWorld(fakeBook(200));
    const { stats, outcome } = await run(world, 200);
    expect(stats.accounts).toEqual({ completed: 200, skipped: 0, deferred: 0 });
    expect(world.state.notes).toHaveLength(200);
    const qualifying = outcome.results.filter((r) => r.decision?.draft).length;
    expect(qualifying).toBeGreaterThan(10);
    expect(world.state.drafts).toHaveLength(qualifying);
    expect(outcome.tally.drafts.written).toBe(qualifying);
    expect(check(world, outcome).passed).toBe(true);
    expect(stats.retries).toBe(0);
    // Shared contacts (every 50th account shares a domain) are drafted once, by their owner.
    expect(outcome.tally.draftReasons.contact_owned_by_other_account ?? 0).toBeGreaterThanOrEqual(0);
  });

  it("under chaos, holds the exactly-once check, counts what faults became, and a second run writes nothing", async () => {
    const world = new FakeWorld(fakeBook(200), chaos, 3);
    const first = await run(world, 200);
    const result = check(world, first.outcome);
    expect(result.items.filter((i) => !i.passed)).toEqual([]);
    const { tally } = first.outcome;
    // The report's counts agree with what the vendors hold.
    expect(tally.notes.written + tally.notes.reconciled + tally.notes.replayed).toBe(
      world.state.notes.length,
    );
    expect(tally.drafts.written + tally.drafts.reconciled + tally.drafts.replayed).toBe(
      world.state.drafts.length,
    );
    expect(world.state.faults.commit_then_drop).toBeGreaterThan(0);
    expect(first.stats.faultOutcomes.reconciled).toBe(tally.notes.reconciled + tally.drafts.reconciled);
    expect(first.stats.faultOutcomes.reconciled).toBeGreaterThan(0);
    expect(first.stats.retries).toBeGreaterThan(0);
    expect(tally.signals.unavailable).toBe(30);
    expect(first.stats.accounts.completed).toBe(200);

    const before = snapshot(world);
    const second = await run(world, 200);
    expect(check(world, first.outcome, before).items.filter((i) => !i.passed)).toEqual([]);
    expect(world.state.notes).toEqual(before.notes);
    expect(world.state.drafts).toEqual(before.drafts);
    expect(second.outcome.tally.notes.written).toBe(0);
    expect(second.outcome.tally.drafts.written).toBe(0);
    expect(second.outcome.tally.notes.replayed).toBe(200);
  });

  it("fails the check when the servers do not keep their keys", async () => {
    const world = new FakeWorld(fakeBook(100), { commitThenDrop: 0.2, forgetKeys: true }, 5);
    const { outcome } = await run(world, 100);
    const result = check(world, outcome);
    expect(result.passed).toBe(false);
    expect(result.items.find((i) => i.name === "one note per account per occurrence")?.passed).toBe(false);
  });

  it("stops a write tool at its cap instead of working around it", async () => {
    const world = new FakeWorld(fakeBook(60));
    let drafts = 0;
    const capped = {
      call: async (server: string, tool: string, args: Record<string, unknown>) => {
        if (tool === "create_outreach_draft" && ++drafts > 3)
          return { ok: false as const, error: { code: "CAP_EXCEEDED", message: "cap 3" } };
        return world.call(server, tool, args);
      },
    };
    const stats = new RunStats(60, () => 0);
    const book = [...world.accounts.values()];
    const outcome = await runBook({ book, caller: capped, stats, clock, now: () => 0, runDate, workers: 1 });
    expect(world.state.drafts).toHaveLength(3);
    expect(drafts).toBe(4); // the one refusal, then no more attempts
    expect(outcome.tally.stoppedTools.has("create_outreach_draft")).toBe(true);
    expect(stats.capsHit).toEqual({ create_outreach_draft: 1 });
  });
});

describe("runBook when a lookup's answer is lost", () => {
  it("records each lost answer (not each attempt), so the check allows one more credit per lost answer and no more", async () => {
    // Lookups 3 and 9 are charged and lose their answer; rate limits make other attempts too.
    const world = new FakeWorld(fakeBook(50), { lookupLost: [3, 9], rateLimit: 0.2 }, 5);
    const { outcome } = await run(world, 50);
    const doubled = Object.entries(world.state.enrichmentCredits).filter(([, n]) => n > 1);
    expect(doubled.length).toBe(2);
    for (const [domain] of doubled) expect(outcome.tally.lostLookups.get(domain)).toBe(1);
    expect([...outcome.tally.lostLookups.values()].reduce((a, b) => a + b, 0)).toBe(2);
    const writes = {
      runDate,
      notedAccounts: outcome.tally.notedAccounts,
      draftedRecipients: outcome.tally.draftedRecipients,
      sendCap: 20,
    };
    const credit = (r: ReturnType<typeof checkExactlyOnce>) =>
      r.items.find((i) => i.name === "no enrichment credit spent twice on a domain")?.passed;
    expect(credit(checkExactlyOnce(world.state, { ...writes, lostLookups: outcome.tally.lostLookups }))).toBe(
      true,
    );
    // Without what the run saw, the same state reads as a double purchase.
    expect(credit(checkExactlyOnce(world.state, writes))).toBe(false);
    // One credit more than the lost answers allow fails, however many attempts the lookup took.
    const [domain] = doubled[0]!;
    world.state.enrichmentCredits[domain] = 3;
    expect(credit(checkExactlyOnce(world.state, { ...writes, lostLookups: outcome.tally.lostLookups }))).toBe(
      false,
    );
  });
});
