import { ToolError } from "@gtm-mcp/tool-kit/errors";
import {
  propertyNameOf,
  readErrorBody,
  ruleRefusalMessage,
  ruleRefusalOf,
  shortMessageOf,
} from "./error-body.js";
import type { BatchInputError } from "./schemas.js";

/**
 * The error of one failed input of a batch answer (a 207): HubSpot's message for that input
 * and the property at fault. An email HubSpot refuses as the id is the caller's INVALID_INPUT
 * on `email`; a refusal by one of the account's validation rules is INVALID_INPUT naming the
 * property and the rule's message; anything else it refused is UPSTREAM_REJECTED naming the
 * HubSpot property.
 * Nothing was written for that input (`sideEffect: "none"`).
 */
export function batchInputError(failure: BatchInputError, id: string, status: number): ToolError {
  const body = readErrorBody(failure);
  const property = propertyNameOf(body);
  const message = shortMessageOf(body) ?? "HubSpot rejected the input";
  const codes = body.errors.map((e) => e.code ?? "").join(" ");
  const upstream = { system: "hubspot", status };
  const details = {
    inputs: [{ id, message, ...(property ? { property } : {}) }],
    ...(body.category ? { category: body.category } : {}),
  };
  if (property === "email" || /INVALID_EMAIL/i.test(`${codes} ${body.subCategory ?? ""}`)) {
    return new ToolError("INVALID_INPUT", `HubSpot rejected the email ${id}: ${message}`, {
      field: "email",
      upstream,
      details,
    });
  }
  const refusal = ruleRefusalOf(body);
  if (refusal) {
    return new ToolError("INVALID_INPUT", ruleRefusalMessage(refusal), {
      field: refusal.name,
      upstream,
      details: { property: refusal.name, ...(refusal.error ? { rule: refusal.error } : {}) },
    });
  }
  return new ToolError("UPSTREAM_REJECTED", `HubSpot rejected the input ${id}: ${message}`, {
    ...(property ? { field: property } : {}),
    upstream,
    details,
  });
}
