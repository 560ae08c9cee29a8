// The public surface of `@gtm-mcp/tool-kit/config`. Any export added here is public API;
// use named exports, not wildcards.
export { type CliOptions, type HelpSubject, parseCli, renderHelp } from "./cli.js";
export { booleanText, COMMON_VARS, wholeNumberText } from "./common-vars.js";
export { ConfigError, StartupError } from "./config-error.js";
export {
  type HttpConfig,
  isLoopbackHost,
  loadHttpConfig,
  MIN_HTTP_TOKEN_LENGTH,
  splitTokens,
} from "./http-config.js";
export { type CommonConfig, type LoadedConfig, loadConfig } from "./load-config.js";
export { packageVersion } from "./package-version.js";
export {
  readSecretFile,
  Secret,
  type SecretOptions,
  SecretRegistry,
  type SecretReloadResult,
} from "./secret.js";
export { defineVar, secretVar, type VarSpec, type VarSpecs, type VarValues } from "./var-spec.js";
export { type VendorUrlOptions, vendorUrlVar } from "./vendor-url.js";
