// The public surface of `@gtm-mcp/tool-kit/upstream`. Any export added here is public API;
// use named exports, not wildcards.

export {
  type BreakerEvent,
  type CredentialExpiryEvent,
  OBSERVE_CHANNELS,
  type ObserveListeners,
  reportCredentialExpiry,
  subscribeObserveEvents,
  type UpstreamAttemptEvent,
  type UpstreamRequestEvent,
} from "../observe/events.js";
export { createUpstreamClient } from "./create-upstream-client.js";
export { staticCredential } from "./credential.js";
export { followUpScope } from "./follow-up-scope.js";
export {
  type OAuthAccessToken,
  type OAuthRefreshCredential,
  type OAuthRefreshOptions,
  oauthRefreshCredential,
} from "./oauth-refresh-credential.js";
export { type PollOptions, type PollOutcome, pollUntil } from "./poll-until.js";
export type {
  CallScope,
  CredentialProvider,
  HttpMethod,
  UpstreamClient,
  UpstreamClientOptions,
  UpstreamRequest,
  UpstreamResponse,
  VendorErrorInput,
  VendorErrorMapper,
  VendorErrorMapping,
} from "./types.js";
export { type IdentityCheck, verifyIdentity } from "./verify-identity.js";
export { parseResetHeader, parseRetryAfter } from "./wait-hints.js";
