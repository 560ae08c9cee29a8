/**
 * Caps that count something other than writes (paid upstream calls, credits): units reserved
 * and refunded atomically on the same counters the write path's caps use, per (server,
 * environment, run, cap name), so they hold across processes and replicas sharing the store.
 * A read tool reserves before it spends and refunds when nothing was spent.
 */

/** The cap to reserve units of. */
export interface CapUnits {
  /** The cap's name (`credits`). */
  name: string;
  /** The run the counter belongs to (`GTM_RUN_ID`). */
  runId: string;
  /** The most units the run may use. */
  limit: number;
}

/** The answer to {@link CapCounterStore.reserveCapUnits}. */
export type CapUnitsReservation =
  | { status: "reserved"; used: number }
  | { status: "cap_exceeded"; limit: number; used: number };

/** Cap counter operations every store implements; each throws `STORE_UNAVAILABLE` when unreachable. */
export interface CapCounterStore {
  /**
   * Reserves `units` (default 1) when `used + units ≤ limit`, in one atomic step; otherwise
   * reserves nothing and says how many are used. `used` is the count after the reservation.
   */
  reserveCapUnits(cap: CapUnits, units?: number): Promise<CapUnitsReservation>;
  /** Gives back `units` (default 1), never below zero; returns the count after the refund. */
  refundCapUnits(name: string, runId: string, units?: number): Promise<number>;
}
