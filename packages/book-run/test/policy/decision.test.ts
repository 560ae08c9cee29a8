import { describe, expect, it } from "vitest";
import { type DecisionInput, decide, draftOwners, inDomain } from "../../src/policy/index.js";

const base: DecisionInput = {
  account: { id: "101", name: "Acme", domain: "acme.com", lifecycle_stage: "customer" },
  usage: { seatsPurchased: 20, activeUsers: 18 },
  threads: { recent: 0 },
  contactEmail: "ada@acme.com",
  ownsContact: true,
  runDate: "2026-11-29",
};

describe("decide", () => {
  it("drafts an expansion note and draft for a well-used account nobody wrote to lately", () => {
    const d = decide(base);
    expect(d.assessment).toBe("expansion");
    expect(d.utilisation).toBeCloseTo(0.9);
    expect(d.note).toEqual({
      account_id: "101",
      occurrence: "2026-11-29",
      body: expect.stringContaining("Book review 2026-11-29: Acme (acme.com)."),
    });
    expect(d.note.body).toContain("18 active of 20 seats (90%)");
    expect(d.draft).toMatchObject({
      to: "ada@acme.com",
      account_domain: "acme.com",
      occurrence: "2026-11-29",
    });
    expect(d.draftReason).toBe("qualifies");
  });

  it("assesses at the documented thresholds", () => {
    const at = (active: number) =>
      decide({ ...base, usage: { seatsPurchased: 100, activeUsers: active } }).assessment;
    expect(at(85)).toBe("expansion");
    expect(at(84)).toBe("healthy");
    expect(at(25)).toBe("healthy");
    expect(at(24)).toBe("at_risk");
    expect(decide({ ...base, usage: null }).assessment).toBe("no_usage");
    expect(decide({ ...base, usage: { seatsPurchased: 0, activeUsers: 3 } }).assessment).toBe("no_usage");
  });

  it("gives each reason for not drafting", () => {
    const why = (patch: Partial<DecisionInput>) => {
      const d = decide({ ...base, ...patch });
      expect(d.draft).toBeNull();
      return d.draftReason;
    };
    expect(why({ usage: { seatsPurchased: 10, activeUsers: 5 } })).toBe("not_a_target");
    expect(why({ contactEmail: null })).toBe("no_contact");
    expect(why({ contactEmail: "ada@evil.com" })).toBe("contact_outside_domain");
    expect(why({ ownsContact: false })).toBe("contact_owned_by_other_account");
    expect(why({ threads: null })).toBe("mailbox_unread");
    expect(why({ threads: { recent: 2 } })).toBe("recently_in_touch");
  });

  it("writes the same note whatever the mailbox says, so a rerun replays it", () => {
    const a = decide(base);
    const b = decide({ ...base, threads: { recent: 3 } });
    const c = decide({ ...base, threads: null });
    expect(b.note).toEqual(a.note);
    expect(c.note).toEqual(a.note);
  });

  it("does not read the run's own outreach (a thread under the draft's subject) as the contact being in touch", () => {
    const subject = decide(base).draft?.subject as string;
    // The run's draft (or the draft sent, or a reply in its thread): the rerun drafts again, and replays.
    for (const own of [subject, `Re: ${subject}`, `RE: re: ${subject}`])
      expect(decide({ ...base, threads: { recent: 1, subjects: [own] } }).draft).toEqual(decide(base).draft);
    // Any other thread in the window still holds the draft back.
    expect(decide({ ...base, threads: { recent: 2, subjects: [subject, "Lunch?"] } }).draftReason).toBe(
      "recently_in_touch",
    );
    expect(decide({ ...base, threads: { recent: 1, subjects: ["Lunch?"] } }).draftReason).toBe(
      "recently_in_touch",
    );
  });

  it("drafts at-risk accounts too", () => {
    const d = decide({ ...base, usage: { seatsPurchased: 50, activeUsers: 5 } });
    expect(d.assessment).toBe("at_risk");
    expect(d.draft?.subject).toContain("Acme");
  });
});

describe("inDomain", () => {
  it("accepts the domain and its subdomains only", () => {
    expect(inDomain("a@acme.com", "acme.com")).toBe(true);
    expect(inDomain("a@eu.ACME.com", "acme.com")).toBe(true);
    expect(inDomain("a@notacme.com", "acme.com")).toBe(false);
    expect(inDomain("acme.com", "acme.com")).toBe(false);
  });
});

describe("draftOwners", () => {
  it("gives a shared contact to the lowest account id, numerically", () => {
    const owners = draftOwners([
      { accountId: "900", contactEmail: "Ada@acme.com" },
      { accountId: "1000", contactEmail: "ada@acme.com" },
      { accountId: "95", contactEmail: "ada@acme.com" },
      { accountId: "7", contactEmail: null },
    ]);
    expect(owners.get("ada@acme.com")).toBe("95");
    expect(owners.size).toBe(1);
  });
});
