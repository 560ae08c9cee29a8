import { randomBytes } from "node:crypto";

/**
 * Which store a server is using: an id made when the store (its records for one server and
 * environment) was created, and when. A server whose store id changed between runs lost the
 * records of earlier writes (an emptied state file, a flushed Redis): the same write could act
 * again. `/healthz` shows it; so can an operator's tooling.
 */
export interface StoreIdentity {
  /** `st_` and 16 random hex digits. */
  id: string;
  /** When the store was created (ms since the epoch). */
  createdAt: number;
}

/** A fresh store id. */
export function newStoreId(): string {
  return `st_${randomBytes(8).toString("hex")}`;
}
