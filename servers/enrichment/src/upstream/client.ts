import type { Logger } from "@gtm-mcp/tool-kit/logging";
import {
  type CredentialProvider,
  createUpstreamClient,
  type UpstreamClient,
  type UpstreamClientOptions,
} from "@gtm-mcp/tool-kit/upstream";
import { mapPdlError } from "./map-error.js";

/** The PDL client every endpoint function takes. */
export type Pdl = UpstreamClient;

/** Options of {@link createPdlClient}. */
export interface PdlClientOptions {
  /** `https://api.peopledatalabs.com`, or the sandbox emulator. */
  baseUrl: string;
  /** The API key (`PDL_API_KEY`), read at each request so a rotated file is used. */
  credential: CredentialProvider;
  logger: Logger;
  /** Removes secret values from error texts and logged bodies. */
  scrub: (text: string) => string;
  /** Tests pass a `mockVendor(...).dispatcher`. */
  dispatcher?: UpstreamClientOptions["dispatcher"];
  backoff?: UpstreamClientOptions["backoff"];
  breaker?: UpstreamClientOptions["breaker"];
}

/**
 * A People Data Labs client: `X-Api-Key` auth, PDL's error mapping, bounded retries of reads
 * (three attempts: a longer outage is better reported, UPSTREAM_UNAVAILABLE retryable, so
 * the caller goes on with CRM data alone) and a circuit breaker that fails fast after five
 * failing lookups in a row, for 30 s.
 */
export function createPdlClient(options: PdlClientOptions): Pdl {
  return createUpstreamClient({
    system: "peopledatalabs",
    baseUrl: options.baseUrl,
    credential: options.credential,
    authHeaders: (key) => ({ "x-api-key": key }),
    mapError: mapPdlError,
    logger: options.logger,
    scrub: options.scrub,
    backoff: { maxAttempts: 3, ...options.backoff },
    breaker: { consecutiveFailures: 5, halfOpenAfterMs: 30_000, ...options.breaker },
    ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
  });
}
