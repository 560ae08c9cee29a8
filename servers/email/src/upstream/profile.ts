import type { CallScope } from "@gtm-mcp/tool-kit/upstream";
import type { Gmail } from "./client.js";
import { profileSchema } from "./schemas.js";

/** `GET /profile` → the mailbox the token belongs to. */
export async function getProfileAddress(gmail: Gmail, scope: CallScope): Promise<string> {
  const response = await gmail.request(
    {
      method: "GET",
      path: "/profile",
      operation: "users.getProfile",
      safeToRepeat: true,
      schema: profileSchema,
    },
    scope,
  );
  return response.body.emailAddress;
}
