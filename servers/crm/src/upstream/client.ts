import type { Logger } from "@gtm-mcp/tool-kit/logging";
import {
  type CredentialProvider,
  createUpstreamClient,
  type UpstreamClient,
  type UpstreamClientOptions,
} from "@gtm-mcp/tool-kit/upstream";
import {
  DEFAULT_HUBSPOT_API_VERSION,
  type HubSpotApiVersion,
  type HubSpotPaths,
  hubspotPaths,
} from "./api-version.js";
import { hubspotRequestId, mapHubSpotError } from "./map-error.js";

/** The HubSpot client every endpoint function takes: the transport and the paths of its API version. */
export interface HubSpot extends UpstreamClient {
  /** The paths of the pinned date-based version (`HUBSPOT_API_VERSION`). */
  readonly paths: HubSpotPaths;
}

/** Options of {@link createHubSpotClient}. */
export interface HubSpotClientOptions {
  /** `https://api.hubapi.com`, or the sandbox emulator. */
  baseUrl: string;
  /** The private app token (`HUBSPOT_ACCESS_TOKEN`), read at each request so a rotated file is used. */
  credential: CredentialProvider;
  logger: Logger;
  /** Removes secret values from error texts and logged bodies. */
  scrub: (text: string) => string;
  /** The date-based API version every path uses (`HUBSPOT_API_VERSION`; default the current GA one). */
  apiVersion?: HubSpotApiVersion;
  /** Tests pass a `mockVendor(...).dispatcher`. */
  dispatcher?: UpstreamClientOptions["dispatcher"];
  backoff?: UpstreamClientOptions["backoff"];
}

/**
 * A HubSpot client: Bearer auth, HubSpot's error mapping and correlation ids, and bounded
 * retries of what is safe to repeat. Three attempts at most: a secondly rate limit clears in
 * a second, and a longer outage is better reported (UPSTREAM_UNAVAILABLE, retryable) than
 * waited out inside one tool call.
 */
export function createHubSpotClient(options: HubSpotClientOptions): HubSpot {
  const client = createUpstreamClient({
    system: "hubspot",
    baseUrl: options.baseUrl,
    credential: options.credential,
    authHeaders: (token) => ({ authorization: `Bearer ${token}` }),
    mapError: mapHubSpotError,
    requestIdOf: hubspotRequestId,
    logger: options.logger,
    scrub: options.scrub,
    backoff: { maxAttempts: 3, ...options.backoff },
    ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
  });
  return Object.assign(client, { paths: hubspotPaths(options.apiVersion ?? DEFAULT_HUBSPOT_API_VERSION) });
}
