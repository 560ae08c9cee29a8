import { describe, expect, it } from "vitest";
import type { EmulatorState } from "../../src/check/emulator-state.js";
import { checkExactlyOnce } from "../../src/check/exactly-once.js";

const runDate = "2026-11-29";
const state = (): EmulatorState => ({
  notes: [
    { accountId: "1", body: `Book review ${runDate}: A` },
    { accountId: "2", body: `Book review ${runDate}: B` },
    { accountId: "2", body: "Book review 2026-11-28: B (yesterday)" },
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
    s.notes.push({ accountId: "1", body: `Book review ${runDate}: A again` });
    const r = checkExactlyOnce(s, run);
    expect(r.passed).toBe(false);
    expect(r.items.find((i) => i.name === "one note per account per occurrence")?.detail).toContain("1×2");
  });

  it("fails on a noted account with no note, a duplicate draft, a draft nobody asked for, sends over the cap, a domain charged twice", () => {
    const failing = (mutate: (s: EmulatorState) => void, r = run) => {
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
    expect(failing((s) => s.sends.push({ to: "x@a.com" }), { ...run, sendCap: 0 })).toEqual([
      "sends within the cap",
    ]);
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
    s.notes.push({ accountId: "3", body: `Book review ${runDate}: C` });
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

  it("allows a credit per attempt of a lookup that lost its answer, and says so", () => {
    const r = checkExactlyOnce(charged({ "a.com": 2, "b.com": 1 }), {
      ...run,
      cutLookups: new Map([["a.com", 2]]),
    });
    expect(item(r).passed).toBe(true);
    expect(item(r).detail).toContain("a.com×2");
  });

  it("still fails a domain charged more often than its lookup's attempts, or one whose lookup lost nothing", () => {
    const over = checkExactlyOnce(charged({ "a.com": 3 }), { ...run, cutLookups: new Map([["a.com", 2]]) });
    expect(item(over).passed).toBe(false);
    expect(item(over).detail).toContain("a.com×3");
    const other = checkExactlyOnce(charged({ "a.com": 2, "b.com": 2 }), {
      ...run,
      cutLookups: new Map([["a.com", 2]]),
    });
    expect(item(other).passed).toBe(false);
    expect(item(other).detail).toBe("1 domains charged more than once: b.com×2");
  });
});
