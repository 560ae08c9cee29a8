/** The emulated vendors. */
export type VendorName = "hubspot" | "pdl" | "snowflake" | "gmail";

/** Every vendor, in start order. */
export const VENDORS: readonly VendorName[] = ["hubspot", "pdl", "snowflake", "gmail"];

/** The ports the servers' sandbox defaults point at (the brief's table). */
export const DEFAULT_PORTS: Record<VendorName, number> = {
  hubspot: 4010,
  pdl: 4020,
  snowflake: 4030,
  gmail: 4040,
};

/** Fake credentials the emulators accept; printed by `pnpm sandbox --json`. */
export const SANDBOX_CREDENTIALS = {
  hubspotAccessToken: "sandbox-hubspot-token",
  pdlApiKey: "sandbox-pdl-key",
  snowflake: {
    account: "SANDBOX",
    user: "GTM_AGENT",
    role: "GTM_ANALYST",
    warehouse: "GTM_WH",
    database: "GTM",
    schema: "PUBLIC",
    token: "sandbox-snowflake-pat",
    tokenType: "PROGRAMMATIC_ACCESS_TOKEN",
  },
  gmail: {
    clientId: "sandbox-client.apps.googleusercontent.com",
    clientSecret: "sandbox-client-secret",
    refreshToken: "sandbox-refresh-token",
  },
} as const;
