import type { GtmEnv } from "../core/gtm-env.js";
import { MIN_SECRET_LENGTH } from "../logging/scrubber.js";
import { ConfigError } from "./config-error.js";
import { assertScrubbableSecret, readSecretFile, Secret, type SecretOptions } from "./secret.js";
import type { VarSpec } from "./var-spec.js";

/**
 * Reads one variable by its spec: the value from `env` (blank counts as unset), else its
 * default, parsed by its schema. Undefined when unset with no default.
 *
 * @throws ConfigError naming the variable when it is required in `gtmEnv` and unset, or
 * when its schema refuses the value.
 */
export function readVar(
  name: string,
  spec: VarSpec<unknown>,
  env: NodeJS.ProcessEnv,
  gtmEnv: GtmEnv,
): unknown {
  const raw =
    nonEmpty(env[name]) ?? (typeof spec.default === "function" ? spec.default(gtmEnv) : spec.default);
  if (raw === undefined) {
    if (spec.requiredIn?.includes(gtmEnv))
      throw new ConfigError(name, `must be set when GTM_ENV=${gtmEnv}: ${spec.description}`);
    return undefined;
  }
  if (!spec.schema) return raw;
  const parsed = spec.schema.safeParse(raw);
  if (parsed.success) {
    const problem = spec.check?.(parsed.data, gtmEnv);
    if (problem !== undefined) throw new ConfigError(name, problem);
    return parsed.data;
  }
  const issue = parsed.error.issues[0];
  throw new ConfigError(
    name,
    `${issue?.message ?? "invalid value"} (got ${JSON.stringify(raw.slice(0, 60))})`,
  );
}

/**
 * Reads a secret given as `NAME` or `NAME_FILE` (not both). Undefined when neither is set
 * and it is not required in `gtmEnv`.
 *
 * @throws ConfigError when both are set, when the file cannot be read, when the value is too
 * short to be a credential, when `options.split` refuses a part, or when it is required and unset.
 */
export function readSecret(
  name: string,
  spec: VarSpec<unknown>,
  env: NodeJS.ProcessEnv,
  gtmEnv: GtmEnv,
  options: SecretOptions = {},
): Secret | undefined {
  const direct = nonEmpty(env[name]);
  const file = nonEmpty(env[`${name}_FILE`]);
  if (direct !== undefined && file !== undefined) {
    throw new ConfigError(name, `set either ${name} or ${name}_FILE, not both`);
  }
  // Sandbox credentials are fakes for local emulators (often "test"): only real environments
  // refuse a value too short for the scrubber to remove by value.
  const minLength = options.minLength ?? (gtmEnv === "sandbox" ? 1 : MIN_SECRET_LENGTH);
  const withMin = { ...options, minLength };
  if (file !== undefined) {
    const value = readSecretFile(name, file, minLength);
    options.split?.(value);
    return new Secret(name, value, file, withMin);
  }
  if (direct !== undefined) {
    assertScrubbableSecret(name, direct, minLength);
    options.split?.(direct);
    return new Secret(name, direct, undefined, withMin);
  }
  if (spec.requiredIn?.includes(gtmEnv)) {
    throw new ConfigError(name, `must be set (or ${name}_FILE) when GTM_ENV=${gtmEnv}: ${spec.description}`);
  }
  return undefined;
}

/** The value, or undefined when it is unset or blank. */
export function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value;
}
