/** One account of the book as the sandbox seeds it: the CRM id, its domain and primary contact. */
export interface BookEntry {
  accountId: string;
  domain: string | null;
  contactEmail: string | null;
}
