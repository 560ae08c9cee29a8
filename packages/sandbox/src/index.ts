// The public surface of `@gtm-mcp/sandbox`: vendor emulators, the seeded book and the admin
// client. Any export added here is public API; use named exports, not wildcards.

export { type AdminClient, createAdminClient, type EmulatorRequests } from "./admin/admin-client.js";
export type {
  GmailAdminState,
  HubSpotAdminState,
  PdlAdminState,
  SnowflakeAdminState,
} from "./admin/state-types.js";
export { bookHash } from "./book/book-hash.js";
export {
  type BookOptions,
  DEFAULT_ACCOUNTS,
  DEFAULT_SEED,
  generateBook,
  PORTAL_ID,
  SELLER,
  USAGE_DAYS,
} from "./book/generate-book.js";
export type {
  Book,
  BookAccount,
  BookContact,
  BookEnrichment,
  BookMessage,
  BookOpportunity,
  BookUsageDay,
} from "./book/types.js";
export type { ExtraOptions } from "./extra-emulators.js";
export {
  type FaultConfig,
  type FaultCounts,
  type FaultKind,
  faultConfigSchema,
} from "./faults/fault-config.js";
export type { GmailEmulator } from "./gmail/gmail-emulator.js";
export { ADMIN_PREFIX } from "./http/emulator-server.js";
export type { HubSpotEmulator } from "./hubspot/hubspot-emulator.js";
export { DEFAULT_LIMIT_SCALE, GMAIL_UNITS, PUBLISHED_LIMITS } from "./limits/rate-policy.js";
export type { PdlEmulator, PdlState } from "./pdl/pdl-emulator.js";
export { type SandboxUrls, sandboxEnv } from "./sandbox-env.js";
export type { SnowflakeEmulator } from "./snowflake/snowflake-emulator.js";
export { type Sandbox, type SandboxOptions, startSandbox } from "./start-sandbox.js";
export { DEFAULT_PORTS, SANDBOX_CREDENTIALS, VENDORS, type VendorName } from "./vendors.js";
