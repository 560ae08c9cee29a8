import { describe, expect, it } from "vitest";
import { readAccount, readThreads, readUsage } from "../../src/run/read-facts.js";

describe("reading tool results", () => {
  it("reads the warehouse's daily rows: active users averaged, the newest day's seats, one account of a shared domain", () => {
    const rows = [
      { account_id: "ACC-1", usage_date: "2026-11-27", active_users: 10, seats_purchased: 20 },
      { account_id: "ACC-1", usage_date: "2026-11-28", active_users: 14, seats_purchased: 25 },
      { account_id: "ACC-2", usage_date: "2026-11-28", active_users: 99, seats_purchased: 100 },
    ];
    expect(readUsage({ rows }, "ACC-1")).toEqual({ seatsPurchased: 25, activeUsers: 12 });
    expect(readUsage({ rows })).toEqual({ seatsPurchased: 25, activeUsers: 41 });
    expect(readUsage({ rows: [] })).toEqual({ seatsPurchased: null, activeUsers: null });
    expect(readUsage({ seats_purchased: 5, active_users: 4 })).toEqual({ seatsPurchased: 5, activeUsers: 4 });
  });

  it("reads an account with nulls where the CRM has nothing, and counts threads", () => {
    expect(readAccount({ account: { id: "7", name: null, domain: "a.com" } }, "7")).toEqual({
      id: "7",
      name: null,
      domain: "a.com",
      lifecycle_stage: null,
    });
    expect(readThreads({ threads: [{}, { subject: "Hi" }] })).toEqual({ recent: 2, subjects: ["", "Hi"] });
    expect(readThreads({ threads: [] })).toEqual({ recent: 0, subjects: [] });
  });
});
