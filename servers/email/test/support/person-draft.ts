import { SENDER } from "./connect.js";
import type { GmailStub, StoredMessage } from "./gmail-stub.js";

let seq = 0;

/** A draft a person wrote in the mailbox (not through this server); returns its draft id. */
export function addPersonDraft(stub: GmailStub, fields: Partial<StoredMessage> & { to: string }): string {
  seq += 1;
  const draftId = `rperson${seq}`;
  stub.drafts.set(draftId, {
    draftId,
    id: `ffa${seq}`,
    threadId: `ffa${seq}`,
    labelIds: ["DRAFT"],
    from: SENDER,
    subject: "Hello",
    messageIdHeader: `<person${seq}@seller.test>`,
    text: "Hi, a note from a person.",
    internalDate: Date.now(),
    ...fields,
  });
  return draftId;
}
