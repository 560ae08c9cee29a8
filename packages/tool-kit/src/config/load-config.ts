import type { GtmEnv } from "../core/gtm-env.js";
import { parseRedisUrl } from "../idempotency/redis-url.js";
import { checkStateUrl, type StateLocation, StateUrlError } from "../idempotency/state-url.js";
import { MIN_SECRET_LENGTH } from "../logging/scrubber.js";
import { COMMON_VARS } from "./common-vars.js";
import { ConfigError } from "./config-error.js";
import { readSecret, readVar } from "./read-var.js";
import { Secret, SecretRegistry } from "./secret.js";
import type { VarSpec, VarSpecs, VarValues } from "./var-spec.js";

/** Settings every server shares, parsed from the common variables. */
export interface CommonConfig {
  env: GtmEnv;
  writesEnabled: boolean;
  runId: string;
  maxWritesPerRun: number;
  stateUrl: string | undefined;
  idempotencyTtlHours: number;
  logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
  /** `GTM_STATE_SECRET`: the key of the server's state seal; undefined for a random one per process. */
  stateSecret: string | undefined;
}

/** A server's whole configuration. */
export interface LoadedConfig<S extends VarSpecs> {
  common: CommonConfig;
  vars: VarValues<S>;
  secrets: SecretRegistry;
}

/**
 * Parses the common variables and a server's own, in that order, from `env`. Secrets may
 * be given as `NAME` or `NAME_FILE` (not both). Reads no network.
 *
 * @throws ConfigError naming the first bad or missing variable and what is expected.
 */
export function loadConfig<S extends VarSpecs>(
  specs: S,
  env: NodeJS.ProcessEnv = process.env,
): LoadedConfig<S> {
  const gtmEnv = readVar("GTM_ENV", COMMON_VARS.GTM_ENV, env, "sandbox") as GtmEnv;
  const secrets = new SecretRegistry();
  const read = <T>(name: string, spec: VarSpec<T>) => readVar(name, spec, env, gtmEnv) as T;
  const common: CommonConfig = {
    env: gtmEnv,
    writesEnabled: read("GTM_ENABLE_WRITES", COMMON_VARS.GTM_ENABLE_WRITES),
    runId: read("GTM_RUN_ID", COMMON_VARS.GTM_RUN_ID),
    maxWritesPerRun: read("GTM_MAX_WRITES_PER_RUN", COMMON_VARS.GTM_MAX_WRITES_PER_RUN),
    stateUrl: read("GTM_STATE_URL", COMMON_VARS.GTM_STATE_URL),
    idempotencyTtlHours: read("GTM_IDEMPOTENCY_TTL_HOURS", COMMON_VARS.GTM_IDEMPOTENCY_TTL_HOURS),
    logLevel: read("GTM_LOG_LEVEL", COMMON_VARS.GTM_LOG_LEVEL),
    stateSecret: undefined,
  };
  const stateSecret = readSecret("GTM_STATE_SECRET", COMMON_VARS.GTM_STATE_SECRET, env, gtmEnv);
  if (stateSecret) {
    if (stateSecret.get().length < 32) {
      throw new ConfigError(
        "GTM_STATE_SECRET",
        "expected at least 32 characters (e.g. openssl rand -base64 32)",
      );
    }
    secrets.add(stateSecret);
    common.stateSecret = stateSecret.get();
  }
  // Checked whether or not writes are on, so a typo shows at start, not when writes are enabled.
  const state = readStateLocation(common.stateUrl);
  // Production never runs on the embedded store; a read-only production server opens no store at all.
  const embedded = state?.kind === "sqlite";
  if (common.env === "production" && (embedded || (common.writesEnabled && state === undefined))) {
    throw new ConfigError(
      "GTM_STATE_URL",
      "production requires a shared Redis store (redis://… or rediss://…); the embedded store is for one machine",
    );
  }
  // A Redis URL may carry a password: scrub it like any other secret.
  const statePassword = state?.kind === "redis" ? passwordOf(state.url) : undefined;
  if (statePassword) {
    if (statePassword.length < MIN_SECRET_LENGTH) {
      throw new ConfigError(
        "GTM_STATE_URL",
        `the password is too short to be a credential (at least ${MIN_SECRET_LENGTH} characters)`,
      );
    }
    secrets.add(new Secret("GTM_STATE_URL password", statePassword));
  }
  const vars: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(specs)) {
    if (spec.secret) {
      const secret = readSecret(name, spec, env, gtmEnv);
      if (secret) secrets.add(secret);
      vars[name] = secret;
    } else {
      vars[name] = readVar(name, spec, env, gtmEnv);
    }
  }
  return { common, vars: vars as VarValues<S>, secrets };
}

/** Where `GTM_STATE_URL` points (undefined: the default file), by the store's own rules. */
function readStateLocation(url: string | undefined): StateLocation | undefined {
  try {
    return checkStateUrl(url);
  } catch (error) {
    // The problem names the accepted forms and at most the scheme: the value may hold a password.
    if (error instanceof StateUrlError) throw new ConfigError("GTM_STATE_URL", error.problem);
    throw error;
  }
}

function passwordOf(url: string): string | undefined {
  try {
    return parseRedisUrl(url).password;
  } catch {
    return undefined;
  }
}
