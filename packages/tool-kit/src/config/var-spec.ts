import type { z } from "zod";
import type { GtmEnv } from "../core/gtm-env.js";
import type { Secret } from "./secret.js";

/** Declares one environment variable a server reads. */
export interface VarSpec<T = string> {
  /** One line for `--help`: what it is and what form it takes. */
  description: string;
  /** Parses the raw text. Absent: the text itself. */
  schema?: z.ZodType<T>;
  /** The value used when unset, by environment or for all. */
  default?: string | ((env: GtmEnv) => string | undefined);
  /** Shown in `--help` when `default` is a function. */
  defaultText?: string;
  /** Environments in which it must be set. */
  requiredIn?: readonly GtmEnv[];
  /** A secret: may be given as `<NAME>_FILE`, is scrubbed from logs and errors. */
  secret?: boolean;
  /**
   * A rule on the parsed value that depends on the environment: returns what is wrong
   * (one line, without the value if it may be sensitive), or undefined when it is fine.
   */
  check?(value: T, env: GtmEnv): string | undefined;
}

/** The variables of one server, by name. */
export type VarSpecs = Record<string, VarSpec<unknown>>;

/** The parsed values: a {@link Secret} for secrets, the parsed type otherwise; undefined when unset. */
export type VarValues<S extends VarSpecs> = {
  [K in keyof S]: S[K] extends { secret: true }
    ? Secret | undefined
    : S[K] extends VarSpec<infer T>
      ? T | undefined
      : never;
};

/** Declares a variable (typed by its schema). */
export function defineVar<T = string>(spec: VarSpec<T>): VarSpec<T> {
  return spec;
}

/** Declares a secret variable, accepted as `NAME` or `NAME_FILE`. */
export function secretVar(
  spec: Omit<VarSpec<string>, "secret" | "schema" | "default">,
): VarSpec<string> & { secret: true } {
  return { ...spec, secret: true };
}
