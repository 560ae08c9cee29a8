import { ToolError } from "@gtm-mcp/tool-kit/errors";
import { defineTool } from "@gtm-mcp/tool-kit/tools";
import { z } from "zod";
import { contactSchema, toContact } from "../model/contact.js";
import { emailInput } from "../model/inputs.js";
import { CONTACT_PROPERTIES } from "../upstream/contacts.js";
import { searchObjects } from "../upstream/search.js";
import type { CrmToolDeps } from "./deps.js";

/**
 * `get_contact`: one HubSpot contact by email. Errors: NOT_FOUND, INVALID_INPUT,
 * RATE_LIMITED, QUOTA_EXHAUSTED, PERMISSION_DENIED, UPSTREAM_UNAVAILABLE, UPSTREAM_TIMEOUT,
 * UPSTREAM_CONTRACT_VIOLATION.
 */
export function getContactTool(deps: CrmToolDeps) {
  return defineTool({
    name: "get_contact",
    title: "Get contact",
    description:
      "Reads one HubSpot contact by email address (matched exactly, case-insensitively). NOT_FOUND when there is none.",
    kind: "read",
    input: z.object({
      email: emailInput("The contact's email address, e.g. ada@acme.com"),
    }),
    output: z.object({ contact: contactSchema }),
    async handler(args, ctx) {
      const page = await searchObjects(
        deps.hubspot,
        "contacts",
        {
          filters: [{ propertyName: "email", operator: "EQ", value: args.email }],
          properties: CONTACT_PROPERTIES,
          limit: 10,
        },
        ctx.scope,
      );
      // Email is unique among HubSpot contacts; prefer the exact match should the search say more.
      const found =
        page.results.find((c) => c.properties.email?.toLowerCase() === args.email) ?? page.results[0];
      if (!found)
        throw new ToolError("NOT_FOUND", `No HubSpot contact has the email ${args.email}`, {
          field: "email",
        });
      return { contact: toContact(found) };
    },
  });
}
