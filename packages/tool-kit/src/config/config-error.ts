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

/**
 * A server refusing to start after its configuration parsed: the credential belongs to
 * another account than the environment expects, for example. Printed as one line; exit 2.
 */
export class StartupError extends Error {
  override readonly name = "StartupError";
}
