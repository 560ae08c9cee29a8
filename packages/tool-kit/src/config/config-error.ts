/**
 * A bad or missing configuration value. The bootstrap prints it as one line naming the
 * variable and what is expected, and exits with code 2 before connecting to anything.
 */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  /** The environment variable at fault. */
  readonly variable: string;
  /** What is wrong and what is expected. */
  readonly problem: string;

  constructor(variable: string, problem: string) {
    super(`${variable}: ${problem}`);
    this.variable = variable;
    this.problem = problem;
  }
}

export { StartupError } from "../core/startup-error.js";
