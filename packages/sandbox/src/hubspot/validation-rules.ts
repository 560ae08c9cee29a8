import { z } from "zod";

/** HubSpot's date-based API versions the emulator serves (the crm server's `HUBSPOT_API_VERSION`). */
export const HUBSPOT_API_VERSIONS = ["2026-09", "2026-03"] as const;

/** One served version. */
export type HubSpotApiVersion = (typeof HUBSPOT_API_VERSIONS)[number];

/** The first version in which HubSpot enforces an account's validation rules on every CRM write. */
const RULES_FROM: HubSpotApiVersion = "2026-09";

/**
 * One admin-configured property validation rule, as an account sets it in HubSpot: a value of
 * `property` on `objectType` must match `pattern`, else the write is refused with `code`
 * (HubSpot's rule code, e.g. `INVALID_ALPHA`) and the rule's `message`.
 */
export const validationRuleSchema = z
  .object({
    objectType: z.enum(["companies", "contacts", "notes"]),
    property: z.string().min(1),
    pattern: z.string().refine(
      (p) => {
        try {
          new RegExp(p, "u");
          return true;
        } catch {
          return false;
        }
      },
      { error: "not a regular expression" },
    ),
    code: z.string().regex(/^[A-Z][A-Z0-9_]*$/),
    message: z.string().min(1).max(500),
  })
  .strict();

/** What `PUT /_sandbox/validation-rules` takes (an empty list clears them). */
export const validationRulesSchema = z.object({ rules: z.array(validationRuleSchema).max(100) }).strict();

/** One rule. */
export type ValidationRule = z.infer<typeof validationRuleSchema>;

/** A property error as HubSpot embeds it in `Property values were not valid: [...]`. */
export interface PropertyValidationError {
  isValid: false;
  message: string;
  error: string;
  name: string;
}

/** The account's validation rules: set through the admin API, enforced on writes from `2026-09`. */
export class ValidationRules {
  private rules: ValidationRule[] = [];

  /** Replaces the rules. */
  set(rules: ValidationRule[]): void {
    this.rules = rules;
  }

  /** The rules in force. */
  current(): ValidationRule[] {
    return this.rules;
  }

  /** The refusals of a write of `properties` to `objectType` under `version` (none before 2026-09). */
  check(
    version: HubSpotApiVersion,
    objectType: string,
    properties: Record<string, unknown>,
  ): PropertyValidationError[] {
    if (version < RULES_FROM) return [];
    return this.rules.flatMap((rule) => {
      const value = properties[rule.property];
      if (rule.objectType !== objectType || typeof value !== "string") return [];
      return new RegExp(rule.pattern, "u").test(value)
        ? []
        : [{ isValid: false as const, message: rule.message, error: rule.code, name: rule.property }];
    });
  }
}
