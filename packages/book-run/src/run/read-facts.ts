import type { AccountFacts, ThreadFacts, UsageFacts } from "../policy/index.js";

const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === "string" ? v : null);
const field = (row: Record<string, unknown>, name: string): unknown => row[name] ?? row[name.toUpperCase()];

/** The account `get_account` returned (its `account`), as the decision rule reads it. */
export function readAccount(structured: Record<string, unknown>, fallbackId: string): AccountFacts {
  const account = (structured.account ?? {}) as Record<string, unknown>;
  return {
    id: str(account.id) ?? fallbackId,
    name: str(account.name),
    domain: str(account.domain),
    lifecycle_stage: str(account.lifecycle_stage),
  };
}

/**
 * Usage from `get_account_usage`: the figures at the top level, or daily rows (`rows`, as the
 * warehouse catalog returns them) whose active users are averaged over the window and whose
 * seats are the newest day's. A domain two companies share returns both companies' rows: with
 * `accountId` (the warehouse id from the book) only that account's rows count. No rows, or
 * unknown figures, are null, never guessed.
 */
export function readUsage(structured: Record<string, unknown>, accountId?: string): UsageFacts {
  const top = {
    seatsPurchased: num(field(structured, "seats_purchased")),
    activeUsers: num(field(structured, "active_users")),
  };
  if (top.seatsPurchased !== null || top.activeUsers !== null) return top;
  const all = [structured.rows, structured.days, structured.usage].find(Array.isArray) as
    | Array<Record<string, unknown>>
    | undefined;
  const rows = (all ?? []).filter((r) => {
    const id = str(field(r, "account_id"));
    return accountId === undefined || id === null || id === accountId;
  });
  if (rows.length === 0) return { seatsPurchased: null, activeUsers: null };
  const newestFirst = [...rows].sort((a, b) => {
    const da = str(field(a, "usage_date")) ?? "";
    const db = str(field(b, "usage_date")) ?? "";
    return da < db ? 1 : da > db ? -1 : 0;
  });
  const active = rows.map((r) => num(field(r, "active_users"))).filter((v): v is number => v !== null);
  const seats = newestFirst.map((r) => num(field(r, "seats_purchased"))).find((v) => v !== null) ?? null;
  return {
    seatsPurchased: seats,
    activeUsers: active.length > 0 ? Math.round(active.reduce((a, b) => a + b, 0) / active.length) : null,
  };
}

/** Threads from `list_recent_threads` (asked for the recent window only). */
export function readThreads(structured: Record<string, unknown>): ThreadFacts {
  const threads = Array.isArray(structured.threads)
    ? (structured.threads as Array<Record<string, unknown>>)
    : [];
  return {
    recent: threads.length,
    subjects: threads.map((t) => (typeof t?.subject === "string" ? t.subject : "")),
  };
}
