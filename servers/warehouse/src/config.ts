import { defineVar, secretVar, vendorUrlVar } from "@gtm-mcp/tool-kit/config";
import { z } from "zod";

/** The sandbox's Snowflake SQL API emulator. */
export const SANDBOX_BASE_URL = "http://127.0.0.1:4030";

/**
 * Roles the server refuses to run as, or to inherit: it reads, and each of these can grant
 * privileges, manage users or roles, or own every object (Snowflake's system roles).
 */
export const ADMIN_ROLES = ["ACCOUNTADMIN", "SECURITYADMIN", "USERADMIN", "SYSADMIN", "ORGADMIN"] as const;

/** Default size budget of one result's rows, in characters of JSON (see the README). */
export const DEFAULT_CHAR_BUDGET = 30_000;

const identifier = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_$.-]{1,255}$/, { error: "expected a Snowflake identifier (letters, digits, _ $ . -)" });

const role = identifier.refine((value) => !(ADMIN_ROLES as readonly string[]).includes(value.toUpperCase()), {
  error: `an administrative role is refused (${ADMIN_ROLES.join(", ")}); give the server a read-only role`,
});

/** An RFC 3339 time with a zone (`2027-03-01T00:00:00Z`) or a date (`2027-03-01`, midnight UTC), as epoch ms. */
const expiryTime = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}([Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2}))?$/, {
    error: "expected an RFC 3339 time with a zone (2027-03-01T00:00:00Z) or a date (2027-03-01)",
  })
  .transform((text, ctx) => {
    const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text.replace(" ", "T"));
    if (Number.isNaN(ms)) ctx.addIssue({ code: "custom", message: "not a real date" });
    return ms;
  });

/**
 * The real API's address for an account: `https://<account>.snowflakecomputing.com`, with
 * underscores as hyphens (Snowflake's advice for host names).
 */
export function realBaseUrl(account: string): string {
  return `https://${account.trim().toLowerCase().replace(/_/g, "-")}.snowflakecomputing.com`;
}

/** The warehouse server's own variables (besides the common GTM_* ones). */
export const warehouseVars = {
  SNOWFLAKE_ACCOUNT: defineVar<string>({
    description:
      "Account identifier (xy12345.us-east-1 or myorg-myaccount); names the JWT issuer, the default base URL, and is checked at start",
    schema: identifier,
    requiredIn: ["staging", "production"],
  }),
  SNOWFLAKE_USER: defineVar<string>({
    description: "The Snowflake user the credential belongs to (checked at start in staging/production)",
    schema: identifier,
    requiredIn: ["staging", "production"],
  }),
  SNOWFLAKE_PRIVATE_KEY: secretVar({
    description: "Key-pair auth: the user's RSA private key, PEM (PKCS#8, encrypted or not)",
  }),
  SNOWFLAKE_PRIVATE_KEY_PASSPHRASE: secretVar({
    description: "Passphrase of an encrypted SNOWFLAKE_PRIVATE_KEY",
  }),
  SNOWFLAKE_TOKEN: secretVar({
    description:
      "Instead of a key pair: an OAuth token or a programmatic access token (see SNOWFLAKE_TOKEN_TYPE)",
  }),
  SNOWFLAKE_TOKEN_TYPE: defineVar<"OAUTH" | "PROGRAMMATIC_ACCESS_TOKEN">({
    description: "What SNOWFLAKE_TOKEN is: OAUTH or PROGRAMMATIC_ACCESS_TOKEN",
    schema: z.enum(["OAUTH", "PROGRAMMATIC_ACCESS_TOKEN"]),
    default: "OAUTH",
  }),
  SNOWFLAKE_TOKEN_EXPIRES_AT: defineVar<number>({
    description:
      "When SNOWFLAKE_TOKEN stops working (RFC 3339 time or a date, as SHOW USER PROGRAMMATIC ACCESS TOKENS lists it): exported as gtm_credential_expiry_seconds so an alert fires before it lapses; a JWT-format token's own exp is used when this is unset",
    schema: expiryTime,
  }),
  SNOWFLAKE_ROLE: defineVar<string>({
    description: "Role every statement runs as (read-only; administrative roles are refused)",
    schema: role,
    requiredIn: ["staging", "production"],
  }),
  SNOWFLAKE_WAREHOUSE: defineVar<string>({
    description: "Virtual warehouse that runs the queries",
    schema: identifier,
  }),
  SNOWFLAKE_DATABASE: defineVar<string>({
    description: "Database of the catalog's tables",
    schema: identifier,
  }),
  SNOWFLAKE_SCHEMA: defineVar<string>({ description: "Schema of the catalog's tables", schema: identifier }),
  // No real default: outside the sandbox the address is derived from SNOWFLAKE_ACCOUNT.
  SNOWFLAKE_BASE_URL: vendorUrlVar({
    description: "Snowflake SQL API base URL",
    sandboxDefault: SANDBOX_BASE_URL,
  }),
  WAREHOUSE_CATALOG: defineVar<string>({
    description: "Path of the query catalog (YAML); default: the catalog shipped with the server",
  }),
  WAREHOUSE_RESULT_CHAR_BUDGET: defineVar<number>({
    description: "Most characters of row JSON in one result before it is truncated with a cursor",
    schema: z.coerce.number().int().min(1_000).max(200_000),
    default: String(DEFAULT_CHAR_BUDGET),
  }),
};
