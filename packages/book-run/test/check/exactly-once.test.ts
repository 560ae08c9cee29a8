import { describe, expect, it } from "vitest";
import type { EmulatorState } from "../../src/check/emulator-state.js";
import { checkExactlyOnce, type RunWrites } from "../../src/check/exactly-once.js";

const runDate = "2026-11-29";
const note = (companyId: string, body: string) => ({ companyIds: [companyId], contactIds: [], body });
const state = (): EmulatorState => ({
  notes: [
    note("1", `Book review ${runDate}: A`),
    note("2", `Book review ${runDate}: B`),
    note("2", "Book review 2026-11-28: B (yesterday)"),
  ],
  drafts: [{ to: "ada@a.com", subject: "s" }],
  sends: [],
  enrichmentCredits: { "a.com": 1, "b.com": 1 },
  faults: {},
});
const run = {
  runDate,
  notedAccounts: new Set(["1", "2"]),
  draftedRecipients: new Set(["Ada@a.com"]),
  sendCap: 20,
};

describe("checkExactlyOnce", () => {
  it("passes when the vendors hold exactly what the run wrote", () => {
    const r = checkExactlyOnce(state(), run);
    expect(r.items.filter((i) => !i.passed)).toEqual([]);
    expect(r.passed).toBe(true);
  });

  it("fails on a second note for an account and occurrence", () => {
    const s = state();
    s.notes.push(note("1", `Book review ${runDate}: A again`));
    const r = checkExactlyOnce(s, run);
    expect(r.passed).toBe(false);
    expect(r.items.find((i) => i.name === "one note per account per occurrence")?.detail).toContain("1×2");
  });

  it("fails on a noted account with no note, a duplicate draft, a draft nobody asked for, sends over the cap, a domain charged twice", () => {
    const failing = (mutate: (s: EmulatorState) => void, r: RunWrites = run) => {
      const s = state();
      mutate(s);
      return checkExactlyOnce(s, r)
        .items.filter((i) => !i.passed)
        .map((i) => i.name);
    };
    expect(failing((s) => s.notes.shift())).toEqual(["every noted account has its note"]);
    expect(failing((s) => s.drafts.push({ to: "ADA@a.com", subject: "s" }))).toEqual([
      "one draft per qualifying account",
    ]);
    expect(failing((s) => s.drafts.push({ to: "bob@b.com", subject: "s" }))).toEqual([
      "drafts only for qualifying accounts",
    ]);
    expect(
      failing((s) => s.sends.push({ to: "ada@a.com" }), {
        ...run,
        sentRecipients: new Set(["ada@a.com"]),
        sendCap: 0,
      }),
    ).toEqual(["sends within the cap"]);
    expect(failing((s) => (s.enrichmentCredits["a.com"] = 2))).toEqual([
      "no enrichment credit spent twice on a domain",
    ]);
  });

  it("with the state before a second run, fails when that run wrote anything", () => {
    const before = state();
    expect(checkExactlyOnce(state(), run, before).passed).toBe(true);
    const after = state();
    after.enrichmentCredits["c.com"] = 1; // a domain first bought now: not a write
    expect(checkExactlyOnce(after, run, before).items.filter((i) => !i.passed)).toEqual([]);
    after.drafts.push({ to: "bob@b.com", subject: "s" });
    const r = checkExactlyOnce(after, run, before);
    expect(r.items.at(-1)?.detail).toContain("drafts 1→2");
    expect(r.items.at(-1)).toMatchObject({ name: "the second run made no new write", passed: false });
  });
});

describe("checkExactlyOnce with uncertain writes", () => {
  it("accepts a write the run got no answer for, held or not, but nothing else unexpected", () => {
    const s = state();
    s.notes.push(note("3", `Book review ${runDate}: C`));
    expect(checkExactlyOnce(s, run).passed).toBe(false);
    expect(checkExactlyOnce(s, { ...run, uncertainAccounts: new Set(["3"]) }).passed).toBe(true);
    expect(checkExactlyOnce(state(), { ...run, uncertainAccounts: new Set(["3"]) }).passed).toBe(true);
    s.drafts.push({ to: "Cy@c.com", subject: "s" });
    expect(
      checkExactlyOnce(s, {
        ...run,
        uncertainAccounts: new Set(["3"]),
        uncertainRecipients: new Set(["cy@C.com"]),
      }).passed,
    ).toBe(true);
  });
});

describe("checkExactlyOnce and lookups cut by a server kill", () => {
  const charged = (credits: Record<string, number>): EmulatorState => ({
    ...state(),
    enrichmentCredits: credits,
  });
  const item = (r: ReturnType<typeof checkExactlyOnce>) =>
    r.items.find((i) => i.name === "no enrichment credit spent twice on a domain")!;

  it("allows one credit plus one per lost answer of a domain's lookups, and says so", () => {
    const r = checkExactlyOnce(charged({ "a.com": 2, "b.com": 1 }), {
      ...run,
      lostLookups: new Map([["a.com", 1]]),
    });
    expect(item(r).passed).toBe(true);
    expect(item(r).detail).toContain("a.com×2");
  });

  it("fails a domain charged more than one credit plus its lost answers, or a second credit with no lost answer", () => {
    const over = checkExactlyOnce(charged({ "a.com": 3 }), { ...run, lostLookups: new Map([["a.com", 1]]) });
    expect(item(over).passed).toBe(false);
    expect(item(over).detail).toContain("a.com×3 (allowed 2)");
    const other = checkExactlyOnce(charged({ "a.com": 2, "b.com": 2 }), {
      ...run,
      lostLookups: new Map([["a.com", 1]]),
    });
    expect(item(other).passed).toBe(false);
    expect(item(other).detail).toBe(
      "1 domains charged more than once plus their lost answers: b.com×2 (allowed 1)",
    );
  });
});

describe("checkExactlyOnce catches a duplicate injected into the vendors' state", () => {
  const failed = (s: EmulatorState, r: RunWrites = run) =>
    checkExactlyOnce(s, r)
      .items.filter((i) => !i.passed)
      .map((i) => i.name);

  it("a note: a second one on the company, or one attached only to the contact, or to nothing", () => {
    const onCompany = state();
    onCompany.notes.push(note("2", `Book review ${runDate}: B`));
    expect(failed(onCompany)).toEqual(["one note per account per occurrence"]);
    const onContact = state();
    onContact.notes.push({ companyIds: [], contactIds: ["501"], body: `Book review ${runDate}: B` });
    expect(failed(onContact)).toEqual(["one note per account per occurrence"]);
    expect(checkExactlyOnce(onContact, run).items[0]?.detail).toContain("on a contact only 1 (contact 501)");
    const onNothing = state();
    onNothing.notes.push({ companyIds: [], contactIds: [], body: `Book review ${runDate}: B` });
    expect(failed(onNothing)).toEqual(["one note per account per occurrence"]);
    expect(checkExactlyOnce(onNothing, run).items[0]?.detail).toContain("on nothing 1");
  });

  it("a draft", () => {
    const s = state();
    s.drafts.push({ to: "ada@a.com", subject: "s" });
    expect(failed(s)).toEqual(["one draft per qualifying account"]);
  });

  it("a send: the same recipient twice, or the same draft twice", () => {
    const sent = { ...run, sentRecipients: new Set(["ada@a.com"]) };
    const once = state();
    once.sends.push({ to: "ada@a.com", draftId: "d1" });
    expect(failed(once, sent)).toEqual([]);
    const twice = structuredClone(once);
    twice.sends.push({ to: "Ada@a.com", draftId: "d1" });
    expect(failed(twice, sent)).toEqual(["one send per recipient per occurrence"]);
    expect(checkExactlyOnce(twice, sent).items.find((i) => !i.passed)?.detail).toContain("ada@a.com×2");
    // A send the run never made (or never settled) is a failure too.
    expect(failed(once)).toEqual(["sends only of the run's drafts, each held"]);
  });

  it("a credit", () => {
    const s = state();
    s.enrichmentCredits["b.com"] = 2;
    expect(failed(s)).toEqual(["no enrichment credit spent twice on a domain"]);
  });
});

describe("checkExactlyOnce and the second run's replays", () => {
  const first = {
    notes: new Set(["1", "2"]),
    drafts: new Set(["ada@a.com"]),
    sends: new Set(["ada@a.com"]),
  };
  const item = (r: ReturnType<typeof checkExactlyOnce>) =>
    r.items.find((i) => i.name === "the second run replayed every write of the first");

  it("passes when the rerun replayed every write of the first, per tool", () => {
    const r = checkExactlyOnce(state(), run, state(), { first, replayed: first });
    expect(item(r)).toMatchObject({
      passed: true,
      detail: "notes 2/2 replayed, drafts 1/1 replayed, sends 1/1 replayed",
    });
  });

  it("fails when the rerun made no replay of a write the first run made (it never called it again)", () => {
    const replayed = { ...first, drafts: new Set<string>(), sends: new Set<string>() };
    const r = checkExactlyOnce(state(), run, state(), { first, replayed });
    expect(r.passed).toBe(false);
    expect(item(r)).toMatchObject({
      passed: false,
      detail:
        "notes 2/2 replayed, drafts 0/1 replayed (not replayed: ada@a.com), sends 0/1 replayed (not replayed: ada@a.com)",
    });
    // The same rerun passes "no new write": that item alone cannot tell a replay from no call.
    expect(r.items.find((i) => i.name === "the second run made no new write")?.passed).toBe(true);
  });
});
