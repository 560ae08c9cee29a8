import { defineTool } from "@gtm-mcp/tool-kit/tools";
import { z } from "zod";
import { accountSchema, toAccount } from "../model/account.js";
import { companyFieldsInput, toCompanyProperties } from "../model/company-fields.js";
import { recordId } from "../model/inputs.js";
import { getCompany, updateCompany } from "../upstream/companies.js";
import type { CrmToolDeps } from "./deps.js";
import { rethrowNotFound } from "./not-found.js";

/**
 * `update_account_fields`: sets allowlisted, typed company properties (the allowlist is
 * `CRM_UPDATABLE_PROPERTIES`; the input schema lists only those). Setting fixed values is
 * idempotent, so an unknown outcome is settled by doing it again. Errors: INVALID_INPUT,
 * NOT_FOUND, UPSTREAM_REJECTED (`field` names the HubSpot property refused), CONFLICT,
 * RATE_LIMITED, QUOTA_EXHAUSTED, PERMISSION_DENIED, UPSTREAM_UNAVAILABLE, UPSTREAM_TIMEOUT,
 * WRITES_DISABLED, CAP_EXCEEDED, IDEMPOTENCY_KEY_REUSED, IN_PROGRESS.
 */
export function updateAccountFieldsTool(deps: CrmToolDeps) {
  return defineTool({
    name: "update_account_fields",
    title: "Update account fields",
    description:
      `Sets fields of a HubSpot company, overwriting their current values. Only these fields may be set: ${deps.updatableFields.join(", ")}. ` +
      "Returns the account as it is after the update and the fields that were set. The same arguments act once.",
    kind: "write",
    hints: { destructiveHint: true },
    input: z.object({
      account_id: recordId("company").describe("HubSpot company id (digits)"),
      fields: companyFieldsInput(deps.updatableFields),
    }),
    output: z.object({
      account: accountSchema,
      updated_fields: z.array(z.string()).describe("The fields that were set"),
    }),
    idempotency: {
      key: (args) => ({ canonical: args }),
      // Setting the same values again changes nothing.
      reexecuteWhenUnknown: true,
    },
    async handler(args, ctx) {
      const id = args.account_id;
      const fields = args.fields as Record<string, string | number | undefined>;
      const updated = await updateCompany(deps.hubspot, id, toCompanyProperties(fields), ctx.scope).catch(
        (error: unknown) => rethrowNotFound(error, `No HubSpot company with id ${id}`, "account_id"),
      );
      // HubSpot's PATCH answer holds only some properties; read the account whole. The write
      // is done, so a failed read falls back to that answer rather than failing the call.
      const company = await getCompany(deps.hubspot, id, ctx.scope).catch((error: unknown) => {
        ctx.logger.warn(
          { err: error, accountId: id },
          "re-reading the account after the update failed; returning the update's answer",
        );
        return updated;
      });
      return {
        account: toAccount({ ...company, properties: { ...updated.properties, ...company.properties } }),
        updated_fields: Object.keys(fields).filter((field) => fields[field] !== undefined),
      };
    },
  });
}
