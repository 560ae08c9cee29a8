import type { Logger } from "@gtm-mcp/tool-kit/logging";
import {
  type CredentialProvider,
  createUpstreamClient,
  type UpstreamClient,
  type UpstreamClientOptions,
} from "@gtm-mcp/tool-kit/upstream";
import { mapGmailError } from "./map-error.js";

/** The Gmail client every endpoint function takes. */
export type Gmail = UpstreamClient;

/** Options of {@link createGmailClient}. */
export interface GmailClientOptions {
  /** `…/gmail/v1/users/me`, or the sandbox emulator. */
  baseUrl: string;
  /** The OAuth access token provider (refreshed on expiry and once on a 401). */
  credential: CredentialProvider;
  logger: Logger;
  scrub: (text: string) => string;
  dispatcher?: UpstreamClientOptions["dispatcher"];
  backoff?: UpstreamClientOptions["backoff"];
}

/**
 * A Gmail client: Bearer auth from the OAuth provider, Gmail's error mapping, bounded
 * retries of what is safe to repeat (reads, searches; never `drafts.create` or
 * `drafts.send` once written: neither is idempotent, vendors.md).
 */
export function createGmailClient(options: GmailClientOptions): Gmail {
  return createUpstreamClient({
    system: "gmail",
    baseUrl: options.baseUrl,
    credential: options.credential,
    authHeaders: (token) => ({ authorization: `Bearer ${token}` }),
    mapError: mapGmailError,
    logger: options.logger,
    scrub: options.scrub,
    backoff: { maxAttempts: 3, ...options.backoff },
    ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
  });
}
