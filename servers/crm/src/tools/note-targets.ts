import { isToolError } from "@gtm-mcp/tool-kit/errors";
import type { CallScope } from "@gtm-mcp/tool-kit/upstream";
import type { HubSpot } from "../upstream/client.js";
import { getCompany } from "../upstream/companies.js";
import { getContactById } from "../upstream/contacts.js";
import { rethrowNotFound } from "./not-found.js";

/** The records a new note is associated with. */
export interface NoteTargets {
  account_id: string;
  contact_id?: string | undefined;
}

/**
 * Checks that the company (and the contact, when given) exist before a note is created:
 * HubSpot answers a note on a missing record with a 400 about invalid associations, which
 * names neither input. Nothing is written when this throws.
 *
 * @throws ToolError NOT_FOUND with `field` `account_id` or `contact_id`, or as the client maps failures.
 */
export async function assertNoteTargetsExist(
  hubspot: HubSpot,
  targets: NoteTargets,
  scope: CallScope,
): Promise<void> {
  const accountId = targets.account_id;
  await getCompany(hubspot, accountId, scope, []).catch((error: unknown) =>
    rethrowNotFound(error, `No HubSpot company with id ${accountId}`, "account_id"),
  );
  const contactId = targets.contact_id;
  if (contactId === undefined) return;
  try {
    await getContactById(hubspot, contactId, scope);
  } catch (error) {
    // vendors.md spells out get-by-id for companies only: a HubSpot that refuses the contact
    // read itself, or has no such route (not "no such contact"), is left to the create, which
    // checks the association.
    const routeMissing = isToolError(error) && error.code !== "NOT_FOUND" && error.upstream?.status === 404;
    if (routeMissing || (isToolError(error) && error.code === "UPSTREAM_REJECTED")) return;
    rethrowNotFound(error, `No HubSpot contact with id ${contactId}`, "contact_id");
  }
}

/**
 * Names the input at fault in a NOT_FOUND from the note create (a record deleted since the
 * check): the contact when HubSpot's message names only the contact's id, else the account.
 *
 * @throws ToolError NOT_FOUND with `field`, or `thrown` itself.
 */
export function rethrowCreateNotFound(thrown: unknown, targets: NoteTargets): never {
  const message = isToolError(thrown) ? thrown.message : "";
  // Ids are digits: a word boundary keeps 4 from matching inside 42.
  const names = (id: string) => new RegExp(`\\b${id}\\b`).test(message);
  const contactId = targets.contact_id;
  if (contactId !== undefined && names(contactId) && !names(targets.account_id)) {
    rethrowNotFound(thrown, `No HubSpot contact with id ${contactId}`, "contact_id");
  }
  rethrowNotFound(thrown, `No HubSpot company with id ${targets.account_id}`, "account_id");
}
