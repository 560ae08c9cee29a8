/**
 * Reading HubSpot error bodies (vendors.md): `{status, message, correlationId, category,
 * subCategory?, errors?:[{message, in?, code?, context?}], context?, policyName?}`. Every field
 * is optional and any of them may have an unexpected type, so each is picked only when it has
 * the expected one. Nothing here returns the raw body.
 */

/** The fields of a HubSpot error body this server uses. */
export interface HubSpotErrorBody {
  message?: string;
  category?: string;
  subCategory?: string;
  correlationId?: string;
  policyName?: string;
  errors: Array<{ message?: string; code?: string; context?: unknown }>;
  context?: unknown;
}

const MESSAGE_LIMIT = 240;

/** The known fields of `body`, each only when it has the right type. */
export function readErrorBody(body: unknown): HubSpotErrorBody {
  const record = asRecord(body) ?? {};
  const errors = Array.isArray(record.errors) ? record.errors.map((e) => asRecord(e) ?? {}) : [];
  return {
    ...pickText(record, "message"),
    ...pickText(record, "category"),
    ...pickText(record, "subCategory"),
    ...pickText(record, "correlationId"),
    ...pickText(record, "policyName"),
    errors: errors.map((e) => ({ ...pickText(e, "message"), ...pickText(e, "code"), context: e.context })),
    context: record.context,
  };
}

/**
 * The HubSpot property a validation error is about: `errors[].context.propertyName` (a string
 * or, as HubSpot sends it, a one-element array), `context.propertyName`, or the `"name":"…"`
 * inside the JSON HubSpot embeds in messages (`Property values were not valid: [{…,"name":"x"}]`).
 */
export function propertyNameOf(body: HubSpotErrorBody): string | undefined {
  for (const context of [...body.errors.map((e) => e.context), body.context]) {
    const name = firstText(asRecord(context)?.propertyName);
    if (name) return name;
  }
  for (const message of [body.message, ...body.errors.map((e) => e.message)]) {
    const match = message ? /"name"\s*:\s*"([^"\\]{1,100})"/.exec(message) : null;
    if (match?.[1]) return match[1];
  }
  return undefined;
}

/** One property error HubSpot embeds in a message: `{isValid:false, message, error, name}`. */
export interface PropertyError {
  /** The HubSpot property. */
  name: string;
  message?: string;
  /** HubSpot's code: `INVALID_INTEGER`, `PROPERTY_DOESNT_EXIST`, a validation rule's `INVALID_ALPHA`, … */
  error?: string;
}

/**
 * HubSpot's own type and schema checks, which it has sent for years. Any other code embedded
 * for a property is a refusal by the account's validation rules (enforced on every write from
 * `2026-09`; HubSpot names each rule's code, e.g. `INVALID_ALPHA` for "only letters").
 */
const TYPE_CHECKS = new Set([
  "PROPERTY_DOESNT_EXIST",
  "READ_ONLY_VALUE",
  "REQUIRED_FIELD",
  "INVALID_OPTION",
  "INVALID_INTEGER",
  "INVALID_LONG",
  "INVALID_DOUBLE",
  "INVALID_DECIMAL",
  "INVALID_BOOLEAN",
  "INVALID_DATE",
  "INVALID_DATETIME",
  "INVALID_TIMESTAMP",
  "INVALID_EMAIL",
  "INVALID_PHONE",
  "INVALID_PHONE_NUMBER",
  "INVALID_URL",
  "INVALID_LENGTH",
  "INVALID_OWNER_ID",
  "INVALID_OBJECT_ID",
  "NOT_ALLOWED",
]);

/** The property errors embedded in the body's messages (`Property values were not valid: [{…}]`). */
export function propertyErrorsOf(body: HubSpotErrorBody): PropertyError[] {
  const found: PropertyError[] = [];
  for (const message of [body.message, ...body.errors.map((e) => e.message)]) {
    const embedded = message ? /\[\s*\{.*\}\s*\]/s.exec(message)?.[0] : undefined;
    if (!embedded) continue;
    let list: unknown;
    try {
      list = JSON.parse(embedded);
    } catch {
      continue;
    }
    for (const item of Array.isArray(list) ? list : []) {
      const record = asRecord(item);
      const name = record ? firstText(record.name) : undefined;
      if (!record || !name) continue;
      found.push({ name, ...pickText(record, "message"), ...pickText(record, "error") });
    }
  }
  return found;
}

/**
 * The property error that is a refusal by one of the account's validation rules (a code
 * outside HubSpot's type checks), if any: its property and the rule's message.
 */
export function ruleRefusalOf(body: HubSpotErrorBody): PropertyError | undefined {
  return propertyErrorsOf(body).find((e) => e.error !== undefined && !TYPE_CHECKS.has(e.error));
}

/** The caller-facing text of a rule refusal: the property and the rule's message, at most 240 characters. */
export function ruleRefusalMessage(refusal: PropertyError): string {
  const rule = refusal.message ?? refusal.error ?? "refused";
  return truncate(`HubSpot refused ${refusal.name}: ${rule} (a validation rule of the account)`);
}

/** Scopes a 403 names: `requiredGranularScopes`, `requiredScopes` or `missingScopes`, as arrays or `{missingScopes=[a, b]}` text. */
export function missingScopesOf(body: HubSpotErrorBody): string[] {
  const found = new Set<string>();
  for (const context of [body.context, ...body.errors.map((e) => e.context)]) {
    const record = asRecord(context);
    if (record) {
      for (const key of ["requiredGranularScopes", "requiredScopes", "missingScopes", "scopes"]) {
        const value = record[key];
        for (const scope of Array.isArray(value) ? value : [value]) if (isScope(scope)) found.add(scope);
      }
    } else if (typeof context === "string") {
      const list = /(?:missing|required)\w*Scopes=\[([^\]]*)\]/i.exec(context)?.[1] ?? "";
      for (const scope of list.split(",").map((s) => s.trim())) if (isScope(scope)) found.add(scope);
    }
  }
  return [...found];
}

/**
 * A short human message: the inner message of embedded property errors when HubSpot sent
 * them (they say what was wrong with which value), else the outer one; at most 240 characters.
 */
export function shortMessageOf(body: HubSpotErrorBody): string | undefined {
  const outer = body.message ?? body.errors.find((e) => e.message)?.message;
  if (!outer) return undefined;
  const embedded = /\[\s*\{.*\}\s*\]/s.exec(outer)?.[0];
  if (embedded) {
    try {
      const first = asRecord((JSON.parse(embedded) as unknown[])[0]);
      const inner = typeof first?.message === "string" ? first.message : undefined;
      if (inner) return truncate(`${outer.slice(0, outer.indexOf(embedded)).trim()} ${inner}`.trim());
    } catch {
      // Not JSON after all: fall back to the outer message.
    }
  }
  return truncate(outer);
}

function truncate(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= MESSAGE_LIMIT ? flat : `${flat.slice(0, MESSAGE_LIMIT - 1)}…`;
}

function isScope(value: unknown): value is string {
  return typeof value === "string" && /^[a-z0-9._-]{2,100}$/i.test(value);
}

function firstText(value: unknown): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === "string" && first !== "" ? first : undefined;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function pickText<K extends string>(record: Record<string, unknown>, key: K): Partial<Record<K, string>> {
  const value = record[key];
  return typeof value === "string" && value !== "" ? ({ [key]: value } as Record<K, string>) : {};
}
