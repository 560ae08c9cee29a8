import { isToolError, ToolError } from "@gtm-mcp/tool-kit/errors";
import { defineTool } from "@gtm-mcp/tool-kit/tools";
import { z } from "zod";
import { contactSchema, toContact } from "../model/contact.js";
import { LEAD_STATUSES, LIFECYCLE_STAGES } from "../model/hubspot-options.js";
import { emailInput, recordId } from "../model/inputs.js";
import { batchInputError } from "../upstream/batch-errors.js";
import { associateContactWithCompany, upsertContactByEmail } from "../upstream/contacts.js";
import type { CrmToolDeps } from "./deps.js";

const input = z.object({
  email: emailInput("The lead's email address: the contact is created or updated by it, e.g. ada@acme.com"),
  first_name: z.string().trim().min(1).max(100).optional().describe("First name"),
  last_name: z.string().trim().min(1).max(100).optional().describe("Last name"),
  job_title: z.string().trim().min(1).max(200).optional().describe("Job title, e.g. VP Sales"),
  phone: z
    .string()
    .trim()
    .regex(/^[0-9+()./ x-]{3,40}$/, { error: "expected a phone number such as +1 555 0100" })
    .optional()
    .describe("Phone number, e.g. +1 555 0100"),
  lifecycle_stage: z.enum(LIFECYCLE_STAGES).optional().describe("Lifecycle stage"),
  lead_status: z.enum(LEAD_STATUSES).optional().describe("Lead status"),
  account_id: recordId("company")
    .optional()
    .describe("Also associate the contact with this HubSpot company id"),
});

type Args = z.output<typeof input>;

/** The HubSpot properties the arguments set (email is the upsert id, not a property). */
function propertiesOf(args: Args): Record<string, string> {
  const map: Array<[keyof Args, string]> = [
    ["first_name", "firstname"],
    ["last_name", "lastname"],
    ["job_title", "jobtitle"],
    ["phone", "phone"],
    ["lifecycle_stage", "lifecyclestage"],
    ["lead_status", "hs_lead_status"],
  ];
  const properties: Record<string, string> = {};
  for (const [arg, property] of map) if (args[arg] !== undefined) properties[property] = String(args[arg]);
  return properties;
}

/**
 * `upsert_lead`: creates or updates a contact by email with allowlisted, typed properties,
 * optionally associated with a company. Naturally idempotent upstream (an upsert on the
 * unique email), so an unknown outcome is settled by doing it again. Errors: INVALID_INPUT,
 * UPSTREAM_REJECTED (HubSpot refused a property: `field` names it), NOT_FOUND (the company
 * to associate; the contact was upserted), CONFLICT, RATE_LIMITED, QUOTA_EXHAUSTED,
 * PERMISSION_DENIED, UPSTREAM_UNAVAILABLE, UPSTREAM_TIMEOUT, WRITES_DISABLED, CAP_EXCEEDED,
 * IDEMPOTENCY_KEY_REUSED, IN_PROGRESS.
 */
export function upsertLeadTool(deps: CrmToolDeps) {
  return defineTool({
    name: "upsert_lead",
    title: "Upsert lead",
    description:
      "Creates a HubSpot contact for the email, or updates the existing one, setting only the given properties " +
      "(first/last name, job title, phone, lifecycle stage, lead status); optionally associates it with a company. " +
      "Returns the contact, whether it was created, and the associated account id. The same arguments act once.",
    kind: "write",
    hints: { destructiveHint: true },
    input,
    output: z.object({
      contact: contactSchema,
      created: z
        .boolean()
        .describe("True when HubSpot created the contact, false when it updated an existing one"),
      associated_account_id: z
        .string()
        .nullable()
        .describe("The company the contact was associated with, or null"),
    }),
    idempotency: {
      key: (args) => ({ canonical: args }),
      // An upsert by email and an association PUT both converge: repeating them is safe.
      reexecuteWhenUnknown: true,
    },
    async handler(args, ctx) {
      const properties = propertiesOf(args);
      const answer = await upsertContactByEmail(deps.hubspot, args.email, properties, ctx.scope);
      const result =
        answer.results.find((r) => r.properties.email?.toLowerCase() === args.email) ??
        (answer.results.length === 1 ? answer.results[0] : undefined);
      if (!result) {
        const failure = answer.errors[0];
        if (failure) throw batchInputError(failure, args.email, 207);
        // A 2xx without our contact: HubSpot may or may not have written it; repeating is safe.
        throw new ToolError(
          "UPSTREAM_CONTRACT_VIOLATION",
          "HubSpot answered the upsert without the contact",
          {
            sideEffect: "unknown",
            upstream: { system: "hubspot" },
          },
        );
      }
      // What HubSpot echoes wins; properties it left out of the answer are the ones just set.
      const echoed = Object.fromEntries(
        Object.entries(result.properties).filter(([, v]) => v !== null && v !== ""),
      );
      const contact = toContact({ ...result, properties: { email: args.email, ...properties, ...echoed } });

      if (args.account_id !== undefined) {
        try {
          await associateContactWithCompany(deps.hubspot, result.id, args.account_id, ctx.scope);
        } catch (error) {
          throw associationFailure(error, result.id, args.account_id);
        }
      }
      return { contact, created: result.new === true, associated_account_id: args.account_id ?? null };
    },
  });
}

/**
 * The contact was written; the association was not. A missing company is final (committed,
 * for review); a transient failure marks the outcome unknown so the next call redoes both
 * idempotent steps instead of replaying a failure.
 */
function associationFailure(error: unknown, contactId: string, accountId: string): unknown {
  if (!isToolError(error)) return error;
  const upstream = error.upstream ? { upstream: error.upstream } : {};
  if (error.code === "NOT_FOUND") {
    return new ToolError(
      "NOT_FOUND",
      `Contact ${contactId} was upserted, but there is no HubSpot company with id ${accountId}; it was not associated`,
      { field: "account_id", sideEffect: "committed", ...upstream },
    );
  }
  return new ToolError(
    error.code,
    `Contact ${contactId} was upserted, but associating it with company ${accountId} failed: ${error.message}`,
    {
      sideEffect: error.retryable ? "unknown" : "committed",
      ...upstream,
      ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}),
      ...(error.field !== undefined ? { field: error.field } : {}),
    },
  );
}
