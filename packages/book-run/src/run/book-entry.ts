/** One account of the book as the sandbox seeds it: the CRM id, its domain and primary contact. */
export interface BookEntry {
  accountId: string;
  domain: string | null;
  contactEmail: string | null;
  /** The account's id in the warehouse (its usage rows carry it), when it differs from the CRM's. */
  warehouseId?: string;
}
