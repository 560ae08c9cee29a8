// The public surface of `@gtm-mcp/tool-kit/inputs`: input normalisers and lean input schemas
// shared by servers. Any export added here is public API; use named exports, not wildcards.

export {
  type HostnameReading,
  hostnameInput,
  normalizeHostname,
  normalizeRegistrableDomain,
} from "./normalize-hostname.js";
export { MAX_DOMAIN_TEXT, registrableDomain } from "./registrable-domain.js";
export { dateTimeInput, domainInput, emailInput } from "./schemas.js";
