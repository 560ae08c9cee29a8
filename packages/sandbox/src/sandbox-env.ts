import type { Book } from "./book/types.js";
import { SANDBOX_CREDENTIALS, type VendorName } from "./vendors.js";

/** Base URLs as each server's variable takes them. */
export interface SandboxUrls {
  /** `HUBSPOT_BASE_URL`. */
  hubspot?: string;
  /** `PDL_BASE_URL`. */
  pdl?: string;
  /** `SNOWFLAKE_BASE_URL`. */
  snowflake?: string;
  /** `GMAIL_BASE_URL` (`…/gmail/v1/users/me`). */
  gmail?: string;
  /** `GMAIL_TOKEN_URL` (`…/token`). */
  gmailToken?: string;
}

/** Server base URLs from emulator origins. */
export function vendorUrls(origins: Partial<Record<VendorName, string>>): SandboxUrls {
  return {
    ...(origins.hubspot ? { hubspot: origins.hubspot } : {}),
    ...(origins.pdl ? { pdl: origins.pdl } : {}),
    ...(origins.snowflake ? { snowflake: origins.snowflake } : {}),
    ...(origins.gmail
      ? { gmail: `${origins.gmail}/gmail/v1/users/me`, gmailToken: `${origins.gmail}/token` }
      : {}),
  };
}

/**
 * The environment that points the four servers at these emulators: `GTM_ENV=sandbox`, each
 * base URL, and the fake credentials the emulators accept.
 */
export function sandboxEnv(urls: SandboxUrls, book: Book): Record<string, string> {
  const c = SANDBOX_CREDENTIALS;
  return {
    GTM_ENV: "sandbox",
    ...(urls.hubspot
      ? {
          HUBSPOT_BASE_URL: urls.hubspot,
          HUBSPOT_ACCESS_TOKEN: c.hubspotAccessToken,
          HUBSPOT_PORTAL_ID: String(book.portalId),
        }
      : {}),
    ...(urls.pdl ? { PDL_BASE_URL: urls.pdl, PDL_API_KEY: c.pdlApiKey } : {}),
    ...(urls.snowflake
      ? {
          SNOWFLAKE_BASE_URL: urls.snowflake,
          SNOWFLAKE_ACCOUNT: c.snowflake.account,
          SNOWFLAKE_USER: c.snowflake.user,
          SNOWFLAKE_ROLE: c.snowflake.role,
          SNOWFLAKE_WAREHOUSE: c.snowflake.warehouse,
          SNOWFLAKE_DATABASE: c.snowflake.database,
          SNOWFLAKE_SCHEMA: c.snowflake.schema,
          SNOWFLAKE_TOKEN: c.snowflake.token,
          SNOWFLAKE_TOKEN_TYPE: c.snowflake.tokenType,
        }
      : {}),
    ...(urls.gmail && urls.gmailToken
      ? {
          GMAIL_BASE_URL: urls.gmail,
          GMAIL_TOKEN_URL: urls.gmailToken,
          GMAIL_CLIENT_ID: c.gmail.clientId,
          GMAIL_CLIENT_SECRET: c.gmail.clientSecret,
          GMAIL_REFRESH_TOKEN: c.gmail.refreshToken,
          GMAIL_SENDER: book.seller,
        }
      : {}),
  };
}
